const en = {
};

const it: typeof en = {
};

export const rfmMessages = { en, it };
