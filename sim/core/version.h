/* version: the program's version, recorded in every metadata.json. */
#ifndef CD_VERSION_H
#define CD_VERSION_H

#define CD_VERSION "0.1.0"

#endif
