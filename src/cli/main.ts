// placeholder: replaced by the yargs program in the next commit
export {};
