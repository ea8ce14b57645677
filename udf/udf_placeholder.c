/* udf_placeholder.c -- keeps the library non-empty until the module has sources. */
int sl_udf_placeholder_;
