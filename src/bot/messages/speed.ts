const en = {
};

const it: typeof en = {
};

export const speedMessages = { en, it };
