const en = {
};

const it: typeof en = {
};

export const incidentsMessages = { en, it };
