/*
 * The glycogen, electrolyte and muscle-water models again, computing expected values only (tri.h's
 * TRI_EXPECTED_ONLY): pr_model_evaluate_fast() runs these, and an assessment completes their
 * intervals with pr_model_complete_intervals() only when something reads them (model.c).
 */
#define TRI_EXPECTED_ONLY 1
#define pr_model_glycogen pr_model_glycogen_expected
#define pr_model_muscle pr_model_muscle_expected
#define pr_model_restore_h pr_model_restore_h_expected
#define pr_model_electrolytes pr_model_electrolytes_expected

#include "model_glycogen.c"
#include "model_muscle.c"
#include "model_electrolytes.c"
