/*
 * A stand-in knowledge base for the run-report tests: the contract's required vocabulary of
 * symptoms, observations and body areas, served through vocab.h. Used until the tests load the
 * bundled knowledge base.
 */
#ifndef POSTRUN_TEST_VOCAB_STUB_H
#define POSTRUN_TEST_VOCAB_STUB_H

#include "postrun.h"

/* The stand-in knowledge base (not a real one: only vocab.h's functions accept it). */
const postrun_kb *test_kb(void);

#endif
