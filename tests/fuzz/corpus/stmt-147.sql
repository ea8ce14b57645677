SeLeCt A fRoM T wHeRe A iS nOt NuLl
