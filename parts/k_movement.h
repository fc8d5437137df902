/* ============================================================================================== */
/* >>kernels-movement: reference kernels (see the helper's notes in the commit)                        */
/* ============================================================================================== */

static const infer__op infer__ops_movement[] = {
    {NULL, NULL, 0, 0, NULL}
};
