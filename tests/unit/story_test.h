/*
 * story_test.h — helpers the story test files share (defined in
 * test_stories.c): the text core they analyse with, and a weighted story
 * vector of a headline and body.
 */
#ifndef RASD_STORY_TEST_H
#define RASD_STORY_TEST_H

#include "story/vector.h"

rasd_text *story_test_text(void); /* one per test run, never freed */
/* A weighted vector of title (may be NULL) + body dated date; df counts it
   when not NULL, else the prior IDF alone. 0, or -1 on failure. */
int story_test_vec(const char *title, const char *body, const char *date, SvDf *df, StoryVec *v);

#endif
