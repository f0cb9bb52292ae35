const en = {
};

const it: typeof en = {
};

export const segmentMessages = { en, it };
