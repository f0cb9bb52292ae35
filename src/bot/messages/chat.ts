const en = {
};

const it: typeof en = {
};

export const chatMessages = { en, it };
