/*
 * Fluid balance, heat balance and electrolytes (model.md section 5), and the water the
 * working muscles lost. Sweat loss is measured when the runner weighed in and out, otherwise
 * predicted from the heat the body had to shed; the heat balance is computed either way (the
 * heat.* metrics describe the conditions, whatever the scale said). Owns the fluid.* and heat.*
 * metrics.
 */
#include "model_impl.h"

/* g/s of sweat to l/h. */
#define L_H_PER_G_S (S_PER_H / G_PER_KG)

tri pr_model_psat_kpa(const kb_params *p, tri t_c)
{
    /* Increasing in temperature (above -magnus_c, far below any valid input). */
    double a = p->value[P_MAGNUS_A_KPA], b = p->value[P_MAGNUS_B], k = p->value[P_MAGNUS_C_C];
    if (tri_is_const(t_c))
        return tri_const(a * exp(b * t_c.x / (t_c.x + k)));
    return tri_fix(tri_make(a * exp(b * t_c.lo / (t_c.lo + k)), a * exp(b * t_c.x / (t_c.x + k)),
                            a * exp(b * t_c.hi / (t_c.hi + k))));
}

/* Saturation vapour pressure at a temperature known to within a degree or two (the skin's):
 * exact at the expected value, linear in between (d psat / dT = psat b k / (T + k)^2; the
 * curvature over 1 degree C moves it by less than 0.2 %), so that it costs one exp, not three. */
static tri psat_near(const kb_params *p, tri t_c)
{
    double b = p->value[P_MAGNUS_B], k = p->value[P_MAGNUS_C_C], d = t_c.x + k;
    double x = p->value[P_MAGNUS_A_KPA] * exp(b * t_c.x / d);
    double slope = x * b * k / (d * d);
    return tri_make(x + slope * (t_c.lo - t_c.x), x, x + slope * (t_c.hi - t_c.x));
}

/* Du Bois area from the height term (height ^ exponent), which may come from the cache. */
static tri du_bois(const kb_params *p, double mass_kg, tri height_term)
{
    double mass_term = pow(mass_kg, p->value[P_DUBOIS_MASS_EXPONENT]);
    return tri_scale(tri_mul(param_tri(p, P_DUBOIS_COEFFICIENT), height_term), mass_term);
}

tri pr_model_du_bois_m2(const kb_params *p, double mass_kg, tri height_cm)
{
    if (tri_is_const(height_cm)) {
        /* A given height: one exp of two logs costs less than two pows. */
        double e = p->value[P_DUBOIS_MASS_EXPONENT] * log(mass_kg) +
                   p->value[P_DUBOIS_HEIGHT_EXPONENT] * log(height_cm.x);
        return tri_scale(param_tri(p, P_DUBOIS_COEFFICIENT), exp(e));
    }
    return du_bois(p, mass_kg, tri_pow(height_cm, p->value[P_DUBOIS_HEIGHT_EXPONENT]));
}

/* Indexed like kb_derived.height_term: female, male, unspecified. */
static const param_id DEFAULT_HEIGHT[] = {P_HEIGHT_FEMALE_CM, P_HEIGHT_MALE_CM,
                                          P_HEIGHT_UNSPECIFIED_CM};
static const param_id SUN_W[] = {[SUN_PARTIAL] = P_SUN_PARTIAL_W, [SUN_FULL] = P_SUN_FULL_W};

/* Air speed over the skin, m/s: running speed (none on a treadmill) or wind. */
static tri air_speed(model_ctx *c)
{
    tri running = tri_const(0);
    if (c->f[RF_SURFACE] == SURFACE_TREADMILL) {
        /* No headwind on a treadmill, but swinging limbs and the fans of most rooms with a
         * treadmill still move air over the skin. */
        assume(c->as, A_TREADMILL_AIR, RF_SURFACE, NAN, NAN);
        running = par(c, P_TREADMILL_AIR_SPEED);
    } else if (!isnan(c->distance_km)) {
        running = tri_const(c->distance_km * M_PER_KM / (c->minutes * S_PER_MIN));
    } else {
        /* No distance: the speed at which the ACSM equation gives the intensity's VO2. */
        tri vo2_above_rest = tri_sub(tri_mul(c->u, c->vo2max), par(c, P_ACSM_REST));
        tri m_min = tri_div(vo2_above_rest, par(c, P_ACSM_HORIZONTAL));
        running = tri_max(tri_scale(m_min, 1.0 / S_PER_MIN), tri_const(0));
        assume(c->as, A_SPEED_FROM_INTENSITY, RF_DISTANCE_KM,
               running.x * S_PER_H / M_PER_KM, NAN);
    }
    /* A run goes every which way relative to the wind: over a course the air passes the
     * skin at about the faster of the two (ISO 7933's rule for omni-directional movement),
     * not at their sum, which holds only running straight into the wind. */
    return tri_max(tri_max(running, tri_const(fld(c, RF_WIND_M_S))), par(c, P_MIN_AIR_SPEED));
}

typedef struct heat_balance {
    tri required_w, max_w;
    tri sweat_rate_l_h;
    int uncompensable;
} heat_balance;

/*
 * Sweat rate (l/h) needed to evaporate `required_w` when the air can take up at most `max_w`.
 * Not all sweat evaporates, and less of it the wetter the skin: with the required skin
 * wettedness w = required / max, the evaporative efficiency is 1 - k w^2 up to w = 1 and
 * k (2 - w)^2 beyond (ISO 7933:2004, k = 1/2), times `top` (a running body drips and soaks
 * its kit even on dry skin), never below `floor_eff`. So sweat is used well in dry, moving
 * air and poorly in humid, still air. The caller keeps the rate between its floor and
 * ceiling; each input's move is taken with the rate held at `cap_l_h` (the ceiling for an
 * average runner), so that a rate the ceiling cuts off does not make one input's move look
 * huge (the ceiling's and the between-person factor's own spreads are applied after).
 */
static double sweat_l_h(double required_w, double max_w, double top, double k, double floor_eff,
                        double latent_j_g, double cap_l_h)
{
    double w = max_w > 0 ? required_w / max_w : 2;
    double eff = top * (w <= 1 ? 1 - k * w * w : w < 2 ? k * (2 - w) * (2 - w) : 0);
    if (eff < floor_eff)
        eff = floor_eff;
    double rate = required_w / (eff * latent_j_g) * L_H_PER_G_S;
    return rate < cap_l_h ? rate : cap_l_h;
}

static heat_balance heat(model_ctx *c)
{
    const kb_params *p = c->p;
    double ta = fld(c, RF_TEMPERATURE_C);
    double rh = fld(c, RF_RELATIVE_HUMIDITY_PCT) / PCT;

    tri area;
    double height = c->f[RF_HEIGHT_CM];
    if (isnan(height)) {
        int k = c->sex < 0 ? 2 : c->sex;
        assume(c->as, A_HEIGHT_DEFAULT, RF_HEIGHT_CM, parx(c, DEFAULT_HEIGHT[k]), NAN);
        /* The cache is checked only here, where it is used. */
        area = pr_params_derived_ok(p) ? du_bois(p, c->mass_kg, p->derived.height_term[k])
                                    : pr_model_du_bois_m2(p, c->mass_kg, par(c, DEFAULT_HEIGHT[k]));
    } else {
        area = pr_model_du_bois_m2(p, c->mass_kg, tri_const(height));
    }

    tri va = air_speed(c);
    tri hc = tri_mul(par(c, P_HC_COEFFICIENT), tri_pow(va, parx(c, P_HC_EXPONENT)));
    double pa = rh * pr_model_psat_kpa(p, tri_const(ta)).x;
    /* The heat the body makes: the run's energy (net of rest) plus the resting metabolism. */
    tri heat_w = tri_add(c->power_w, tri_scale(par(c, P_RESTING_METABOLIC_W_KG), c->mass_kg));

    /* Mean skin temperature: ISO 7933's steady-state equation for lightly clad people, warmer
     * in warm, humid, still air and with a hotter core, the core's temperature at equilibrium
     * rising with the metabolic rate per m2 of skin. The air speed is taken at most at the
     * equation's range. Tr = Ta: the sun is counted as heat below. Between runners the skin
     * scatters around the equation (the scatter parameter). */
    double va_max = parx(c, P_SKIN_TEMP_AIR_SPEED_MAX);
    double va_skin = va.x < va_max ? va.x : va_max;
    double core = parx(c, P_CORE_TEMP_INTERCEPT_C) +
                  parx(c, P_CORE_TEMP_PER_W_M2) * heat_w.x / area.x;
    double skin_x = parx(c, P_SKIN_TEMP_INTERCEPT_C) +
                    (parx(c, P_SKIN_TEMP_PER_AIR) + parx(c, P_SKIN_TEMP_PER_RADIANT)) * ta +
                    parx(c, P_SKIN_TEMP_PER_AIR_SPEED) * va_skin +
                    parx(c, P_SKIN_TEMP_PER_CORE) * core;
    tri skin = tri_add(tri_const(skin_x), par(c, P_SKIN_TEMP_SCATTER_C));

    /* Dry heat (convection + radiation) through light kit; negative when the air is hotter
     * than the skin. The sun adds heat. */
    tri dry = tri_mul(tri_mul(tri_add(hc, par(c, P_HR_RADIATIVE)), area),
                      tri_mul(tri_sub(skin, tri_const(ta)), par(c, P_CLOTHING_FACTOR)));
    double sun = fld(c, RF_SUN);
    if (sun == SUN_PARTIAL || sun == SUN_FULL)
        dry = tri_sub(dry, par(c, SUN_W[(int)sun]));

    /* Breathing (ISO 7933): warming and moistening the inhaled air. */
    tri res_factor =
        tri_add(tri_mul(par(c, P_RES_CONVECTIVE), tri_sub(par(c, P_RES_EXHALED_TEMP_C),
                                                          tri_const(ta))),
                tri_mul(par(c, P_RES_EVAPORATIVE), tri_sub(par(c, P_RES_EXHALED_PRESSURE_KPA),
                                                           tri_const(pa))));
    tri res = tri_mul(heat_w, res_factor);

    heat_balance h;
    h.required_w = tri_max(tri_sub(heat_w, tri_add(dry, res)), tri_const(0));
    tri psat_skin = psat_near(p, skin);
    tri gradient = tri_sub(psat_skin, tri_const(pa));
    h.max_w = tri_max(tri_mul(tri_mul(par(c, P_LEWIS_RATIO), tri_mul(hc, area)), gradient),
                      tri_const(0));
    h.uncompensable = h.required_w.x > h.max_w.x;

    /* Each uncertain input of the sweat rate alone at its percentiles, combined; the least
     * efficiency counts only where the efficiency reaches it. */
    double top = parx(c, P_SWEAT_EFFICIENCY_MAX);
    tri k = par(c, P_SWEAT_WETTEDNESS_K), fe = par(c, P_SWEAT_EFFICIENCY_MIN);
    double latent = parx(c, P_LATENT_HEAT_J_G);
    double rq = h.required_w.x, mx = h.max_w.x;
    tri person = par(c, P_SWEAT_PERSON_FACTOR), ceiling = par(c, P_SWEAT_CEILING_L_H);
    if (c->hist && c->hist->weigh_ins > 0) /* this runner's own factor (history_assess.c) */
        person = c->hist->sweat_factor;
    double cap = ceiling.x / person.x;
#define SWEAT(r_, m_, t_, k_, f_) sweat_l_h(r_, m_, t_, k_, f_, latent, cap)
    tri_spread s = tri_spread_start(SWEAT(rq, mx, top, k.x, fe.x));
    tri_spread_add(&s, SWEAT(h.required_w.lo, mx, top, k.x, fe.x),
                   SWEAT(h.required_w.hi, mx, top, k.x, fe.x));
    tri_spread_add(&s, SWEAT(rq, h.max_w.lo, top, k.x, fe.x),
                   SWEAT(rq, h.max_w.hi, top, k.x, fe.x));
    tri_spread_add(&s, SWEAT(rq, mx, top, k.lo, fe.x), SWEAT(rq, mx, top, k.hi, fe.x));
    if (mx <= 0 || rq > mx)
        tri_spread_add(&s, SWEAT(rq, mx, top, k.x, fe.lo), SWEAT(rq, mx, top, k.x, fe.hi));
#undef SWEAT
    /* People sweat differently in the same heat (dripping, kit, acclimatisation): the
     * between-person factor widens the interval around the heat balance's rate. The rate
     * stays between the floor (insensible and minimal thermoregulatory sweating) and the
     * ceiling, each with its own spread. */
    tri rate = tri_mul(tri_spread_end(s), person);
    h.sweat_rate_l_h = tri_clamp_tri(rate, par(c, P_SWEAT_FLOOR_L_H), ceiling);
    return h;
}

static int hydration_status(const model_ctx *c, double change_pct)
{
    if (change_pct > parx(c, P_STATUS_OVERHYDRATED_PCT))
        return FS_OVERHYDRATED;
    if (change_pct >= parx(c, P_STATUS_EUHYDRATED_PCT))
        return FS_EUHYDRATED;
    if (change_pct >= parx(c, P_STATUS_MILD_DEFICIT_PCT))
        return FS_MILD_DEFICIT;
    if (change_pct >= parx(c, P_STATUS_DEFICIT_PCT))
        return FS_DEFICIT;
    return FS_SEVERE_DEFICIT;
}

void pr_model_fluid(model_ctx *c)
{
    tri *m = c->m;
    heat_balance h = heat(c);
    m[M_HEAT_REQUIRED_EVAP_W] = h.required_w;
    m[M_HEAT_MAX_EVAP_W] = h.max_w;
    m[M_HEAT_UNCOMPENSABLE] = tri_const(h.uncompensable);

    /* Water breathed out and the mass of CO2 exhaled beyond O2 taken up, from the oxygen the
     * run used. */
    tri o2_l_min = tri_div(c->energy_kcal, tri_scale(par(c, P_KCAL_PER_L_O2), c->minutes));
    tri respiratory = tri_scale(tri_mul(par(c, P_RESPIRATORY_WATER), o2_l_min), c->hours);
    double fluid_l = fld(c, RF_FLUID_ML) / ML_PER_L;

    double pre = c->f[RF_PRE_KG], post = c->f[RF_POST_KG];
    tri sweat, change_kg;
    double reference_kg;
    if (!isnan(pre) && !isnan(post)) {
        /* Measured (ACSM 2007): 1 kg = 1 l. The scale's resolution counts twice (two
         * weighings, independent: sqrt 2), and the field formula counts breathing as sweat,
         * so the low end takes it out. */
        double urine_l = isnan(c->f[RF_URINE_ML]) ? 0 : c->f[RF_URINE_ML] / ML_PER_L;
        double loss = (pre - post) + fluid_l - urine_l;
        double res = sqrt(2.0) * parx(c, P_SCALE_RESOLUTION_KG);
        if (loss < 0)
            assume(c->as, A_WEIGH_IN_GAIN, RF_POST_KG, NAN, NAN);
        sweat = tri_max(tri_make(loss - res - respiratory.hi, loss, loss + res), tri_const(0));
        change_kg = tri_make(post - pre - res, post - pre, post - pre + res);
        reference_kg = pre;
        m[M_FLUID_METHOD] = tri_const(FLUID_MEASURED);
        m[M_SWEAT_RATE_L_H] = tri_scale(sweat, 1.0 / c->hours);
    } else {
        assume(c->as, A_NO_WEIGH_IN, -1, NAN, NAN);
        if (h.uncompensable)
            assume(c->as, A_UNCOMPENSABLE, -1, h.sweat_rate_l_h.x, NAN);
        sweat = tri_scale(h.sweat_rate_l_h, c->hours);
        change_kg = tri_sub(tri_const(fluid_l), tri_add(sweat, respiratory));
        reference_kg = c->mass_kg;
        m[M_FLUID_METHOD] = tri_const(c->hist && c->hist->weigh_ins > 0
                                          ? FLUID_PREDICTED_PERSONAL : FLUID_PREDICTED);
        m[M_SWEAT_RATE_L_H] = h.sweat_rate_l_h;
    }
    tri change_pct = tri_scale(change_kg, PCT / reference_kg);

    m[M_SWEAT_LOSS_L] = sweat;
    m[M_RESPIRATORY_LOSS_L] = respiratory;
    /* Intake minus every loss (sweat, breath, urine) is what the scale shows. */
    m[M_NET_BALANCE_L] = change_kg;
    m[M_BODY_MASS_CHANGE_KG] = change_kg;
    m[M_BODY_MASS_CHANGE_PCT] = change_pct;
    m[M_FLUID_STATUS] = tri_const(hydration_status(c, change_pct.x));
}
