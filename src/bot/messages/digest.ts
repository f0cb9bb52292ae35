const en = {
};

const it: typeof en = {
};

export const digestMessages = { en, it };
