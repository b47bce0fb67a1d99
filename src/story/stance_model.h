/* stance_model.h — weights of the headline contradiction model (contradict.c).
 * Hand-set starting weights; replaced by `make stance-model`. */
static const StanceModel stance_model = {
    /* negation antonym antonym_any quantity number subst subst_name only overlap question */
    {3.0, 3.0, 1.5, 3.0, 1.0, 0.5, 1.0, 0.0, 0.0, 1.0},
    -2.0, /* bias */
    0.5,  /* threshold */
};
