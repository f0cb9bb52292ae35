const en = {
};

const it: typeof en = {
};

export const churnMessages = { en, it };
