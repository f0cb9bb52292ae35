const en = {
};

const it: typeof en = {
};

export const changesMessages = { en, it };
