/*
 * The glycogen, electrolyte and muscle-water models again, computing expected values only (tri.h's
 * TRI_EXPECTED_ONLY): model_evaluate_fast() runs these, and an assessment completes their
 * intervals with model_complete_intervals() only when something reads them (model.c).
 */
#define TRI_EXPECTED_ONLY 1
#define model_glycogen model_glycogen_expected
#define model_muscle model_muscle_expected
#define model_restore_h model_restore_h_expected
#define model_electrolytes model_electrolytes_expected

#include "model_glycogen.c"
#include "model_muscle.c"
#include "model_electrolytes.c"
