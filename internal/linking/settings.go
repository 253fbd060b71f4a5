package linking

// The ranking's settings. None is fitted to a corpus: each is the neutral
// choice of its method (see the package doc).
const (
	// xFB is Rocchio's β: the feedback centroid weighs as much as the query.
	xFB = 1.0
	// xFBDocs is how many nearest neighbours make the feedback centroid.
	xFBDocs = feedbackDocs
	// xTitle weighs a title word like a body word: titles repeat the body.
	xTitle = titleBoost
	// xBigram weighs a pair of adjacent words like a word.
	xBigram = 1.0
	// xDim is the dimension of the co-occurrence space.
	xDim = semDim
	// xSem weighs the co-occurrence similarity like the word similarity.
	xSem = 1.0
	// xCands is how many candidates are scored exactly.
	xCands = numCandidates
	// xNB turns the neighbourhood re-ranking off (it is not used).
	xNB = 0.0
	// xDirect requires a related article to share a term with the query.
	xDirect = 1.0
)
