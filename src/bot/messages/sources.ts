const en = {
};

const it: typeof en = {
};

export const sourcesMessages = { en, it };
