-- One week of an athlete's runs, as the coaching app (coach.lua) receives them: the
-- athlete's profile once, then one entry a day (no `report` = rest day). Each `report` is the
-- part of a run report (docs/run-report.md) that changes from day to day.
return {
  athlete_name = "Maya",
  athlete = {body_mass_kg = 61.5, height_cm = 168, age_y = 29, sex = "female",
             training_status = "trained", vo2max_ml_kg_min = 52, max_hr_bpm = 190},
  days = {
    {day = "Monday", report = {
      run = {duration_min = 45, distance_km = 8.5, intensity = "easy", avg_hr_bpm = 138},
      environment = {temperature_c = 12, relative_humidity_pct = 70},
      recent = {sleep_h = 7.5, acute_week_km = 8.5, chronic_week_km = 42},
      symptoms = {},
    }},
    {day = "Tuesday", report = {
      run = {duration_min = 55, distance_km = 11, intensity = "intervals", rpe = 8,
             warmup_min = 0, cooldown_min = 0},
      environment = {temperature_c = 14},
      recent = {sleep_h = 6, acute_week_km = 19.5, chronic_week_km = 42, days_since_hard_session = 5},
      symptoms = {{id = "tightness", severity = 5, where = {"hamstrings", "calves"}}},
    }},
    {day = "Wednesday"},
    {day = "Thursday", report = {
      run = {duration_min = 60, distance_km = 12.5, intensity = "tempo", avg_hr_bpm = 168},
      environment = {temperature_c = 28, relative_humidity_pct = 60, sun = "full"},
      intake = {fluid_ml = 250},
      weigh_in = {pre_kg = 61.6, post_kg = 60.2},
      recent = {sleep_h = 7, acute_week_km = 32, chronic_week_km = 42, days_since_hard_session = 2},
      symptoms = {{id = "twitching", severity = 3, where = {"calves"}}},
      observations = {urine_colour = 6},
    }},
    {day = "Friday"},
    {day = "Saturday", report = {
      run = {duration_min = 130, distance_km = 24, intensity = "steady", avg_hr_bpm = 152,
             elevation_gain_m = 320, elevation_loss_m = 320, surface = "trail"},
      environment = {temperature_c = 24, relative_humidity_pct = 55, sun = "partial"},
      intake = {fluid_ml = 600, carbohydrate_g = 40, sodium_mg = 300},
      recent = {sleep_h = 8, acute_week_km = 56, chronic_week_km = 42, days_since_hard_session = 2},
      symptoms = {{id = "muscles_feel_smaller", severity = 6, where = {"quadriceps", "calves"}},
                  {id = "fatigue", severity = 6}},
    }},
    {day = "Sunday", report = {
      run = {duration_min = 30, distance_km = 5, intensity = "easy", ended_h_ago = 2},
      environment = {temperature_c = 16},
      recent = {sleep_h = 8.5, acute_week_km = 61, chronic_week_km = 42, days_since_hard_session = 1},
      symptoms = {{id = "aching", severity = 5, onset_h = 20, where = {"quadriceps"}}},
    }},
  },
}
