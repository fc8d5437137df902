/* ============================================================================================== */
/* >>kernels-misc: losses, quantization, signal processing, strings, detection                    */
/* ============================================================================================== */

static const infer__op infer__ops_misc[] = {
    {NULL, NULL, 0, 0, NULL}
};
