const en = {
};

const it: typeof en = {
};

export const jobsMessages = { en, it };
