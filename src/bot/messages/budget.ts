const en = {
};

const it: typeof en = {
};

export const budgetMessages = { en, it };
