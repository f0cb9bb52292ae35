const en = {
};

const it: typeof en = {
};

export const attributionMessages = { en, it };
