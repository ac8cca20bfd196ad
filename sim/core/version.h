/* version: the program's version, recorded in every metadata.json. */
#ifndef CD_VERSION_H
#define CD_VERSION_H

#define CD_VERSION "0.1.0"

/* The model's version: it rises whenever the same scenario, seed and
 * settings give different results (README, "Changes to results", lists
 * what moved at each). 1: the first round; 2: fidelity (every
 * organisation, warm-up, kill chain, distinct sources); 3: the rest of
 * the papers; 4: the shipped calibration and a six-year warm-up. */
#define CD_MODEL_VERSION 4

#endif
