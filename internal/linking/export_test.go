package linking

// ListTouched makes ix list the slots each query touches, as it does for
// an archive larger than a query's postings budget, instead of sweeping
// its scores whole.
func ListTouched(ix *Index) { ix.sweepSlots = 0 }
