DESC extended
