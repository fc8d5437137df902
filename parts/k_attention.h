/* ============================================================================================== */
/* >>kernels-attention: Attention, RotaryEmbedding and the newest transformer ops                 */
/* ============================================================================================== */

static const infer__op infer__ops_attention[] = {
    {NULL, NULL, 0, 0, NULL}
};
