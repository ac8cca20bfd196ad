/* records: what the state stores hold per foothold, and the day's rows.
 *
 * Plain data, read by the world's outputs: a foothold (one organisation
 * compromised by one campaign, owned by state/footholds.h) and the rows
 * of a day per segment and per sharing body (state/tally.h).
 */
#ifndef CD_STATE_RECORDS_H
#define CD_STATE_RECORDS_H

#include <stdint.h>

#include "params/names.h"

/* What happened in one segment on the last simulated day. */
struct cd_daily {
	uint64_t attempts, blocked, failed, intrusions;
	uint64_t detections[CD_SOURCES];
	uint64_t contained;
	uint64_t breaches;			/* footholds reaching impact */
	uint64_t open_footholds;		/* at the end of the day */
	double records, outage_hours, loss_yen; /* damage that day */
	double knowledge;     /* mean over active campaigns that
				 target the segment of the share of
				 its organisations that know them */
	double trained_ratio; /* segment's trained ratio */
};

/* What happened at one sharing body on the last simulated day. */
struct cd_body_daily {
	uint64_t reports;     /* reports received from member organisations */
	uint64_t learned;     /* campaigns the body learned */
	uint64_t relayed;     /* relays it sent over links */
	uint64_t received;    /* relays it received over links */
	uint64_t distributed; /* campaigns distributed to members */
};

/* A foothold: one organisation compromised by one campaign. */
struct cd_foothold {
	uint32_t org, campaign;
	uint16_t segment;
	uint8_t source; /* enum cd_source, valid once detected */
	uint8_t shared; /* 1 if the organisation reported it */
	int32_t day_compromised;
	int32_t day_detected;  /* -1 while undetected */
	int32_t day_contained; /* -1 while open */
	uint32_t version;      /* bumps when its detection is redrawn */
	int32_t day_impact;    /* day it reached impact (a breach); -1 while
				  not, and forever if contained before */
	double damage;	       /* records, outage hours or yen, once contained;
				  sim_world_damage gives it for any foothold */
};

#endif
