const en = {
};

const it: typeof en = {
};

export const trackingMessages = { en, it };
