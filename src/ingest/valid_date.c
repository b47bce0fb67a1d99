/*
 * valid_date.c — the one test every `published` value passes before it is
 * kept (readers, manifests, and the CLI's --date): the ISO 8601 subset rasd
 * stores. Accepted, and nothing else:
 *   YYYY            YYYY-MM            YYYY-MM-DD
 *   YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM]
 * The calendar module's test (util/calendar.h cal_valid_iso_date: real
 * calendar dates, hours 00-23, minutes and seconds 00-59, zone hours 00-14),
 * with years from 1000: a publication date before that is a typing slip.
 * No white space, no lower-case 't'/'z', no week or ordinal dates: what
 * readers normalise to (date.c) passes, junk does not.
 */
#include "ingest.h"
#include "util/calendar.h"

int ingest_valid_date(const char *s)
{
    return s && s[0] >= '1' && cal_valid_iso_date(s);
}
