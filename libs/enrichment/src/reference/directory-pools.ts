import type { ProviderReference } from '@claims/contracts';

/** The names a synthetic directory draws from. */
export interface NamePool {
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** Stems of organisation names; a group or facility suffix is added to each. */
  organizationNames: readonly string[];
}

/** A list written as comma-separated text: the pools stay readable at a glance, one screen each. */
function listOf(text: string): string[] {
  return text.split(',').map((item) => item.trim());
}

/**
 * A public-domain default: the 50 most common surnames of the 2010 US Census
 * (Census Bureau, "Frequently Occurring Surnames from the 2010 Census") and
 * 50 of the most frequent given names of the SSA baby-name lists of the
 * twentieth century; organisation stems are common place words. Upper case,
 * as NPPES and the CMS clinician file write names.
 */
export const DIRECTORY_NAME_POOL: NamePool = {
  firstNames: listOf(
    'JAMES, MARY, ROBERT, PATRICIA, JOHN, JENNIFER, MICHAEL, LINDA, DAVID, ELIZABETH, WILLIAM, ' +
      'BARBARA, RICHARD, SUSAN, JOSEPH, JESSICA, THOMAS, SARAH, CHARLES, KAREN, CHRISTOPHER, LISA, ' +
      'DANIEL, NANCY, MATTHEW, BETTY, ANTHONY, MARGARET, MARK, SANDRA, DONALD, ASHLEY, STEVEN, KIMBERLY, ' +
      'PAUL, EMILY, ANDREW, DONNA, JOSHUA, MICHELLE, KENNETH, CAROL, KEVIN, AMANDA, BRIAN, DOROTHY, ' +
      'GEORGE, MELISSA, TIMOTHY, DEBORAH',
  ),
  lastNames: listOf(
    'SMITH, JOHNSON, WILLIAMS, BROWN, JONES, GARCIA, MILLER, DAVIS, RODRIGUEZ, MARTINEZ, HERNANDEZ, ' +
      'LOPEZ, GONZALEZ, WILSON, ANDERSON, THOMAS, TAYLOR, MOORE, JACKSON, MARTIN, LEE, PEREZ, THOMPSON, ' +
      'WHITE, HARRIS, SANCHEZ, CLARK, RAMIREZ, LEWIS, ROBINSON, WALKER, YOUNG, ALLEN, KING, WRIGHT, ' +
      'SCOTT, TORRES, NGUYEN, HILL, FLORES, GREEN, ADAMS, NELSON, BAKER, HALL, RIVERA, CAMPBELL, ' +
      'MITCHELL, CARTER, ROBERTS',
  ),
  organizationNames: listOf(
    'LAKESIDE, RIVERBEND, SUMMIT, PRAIRIE, CEDAR VALLEY, NORTHSTAR, BLUE RIDGE, HARBOR, MAPLEWOOD, ' +
      'PINE CREST, GOLDEN PLAINS, SILVER LAKE, EASTSIDE, WESTGATE, MERIDIAN, HIGHLAND, OAK PARK, ' +
      'STONEBRIDGE, CRESTVIEW, FAIRVIEW, GREENFIELD, HILLCREST, LIBERTY, PIONEER, RIVERSIDE, SUNRISE, ' +
      'TRINITY, VALLEY, WILLOW CREEK, CANYON, COASTAL, HERITAGE, MIDLANDS, BAYVIEW, CENTENNIAL, ' +
      'KEYSTONE, LAUREL, MAGNOLIA, PARKVIEW, REDWOOD',
  ),
};

/** Corporate endings NPPES legal names carry; a stem without them takes a group suffix cleanly. */
const LEGAL_SUFFIX = /[\s,]+(INC|LLC|LLP|PLLC|PC|PA|LTD|CORP|CORPORATION|CO|COMPANY)\.?$/i;

/**
 * A name pool from real directory records (NPPES rows): their given names,
 * surnames and organisation names without legal endings, each once, in
 * first-seen order. Pool lists that come out empty take the default's.
 */
export function namePoolOf(providers: Iterable<ProviderReference>): NamePool {
  const firstNames = new Set<string>();
  const lastNames = new Set<string>();
  const organizationNames = new Set<string>();
  for (const provider of providers) {
    if (provider.firstName !== null) firstNames.add(provider.firstName);
    if (provider.lastName !== null) lastNames.add(provider.lastName);
    if (provider.organizationName !== null) {
      let stem = provider.organizationName.trim();
      while (LEGAL_SUFFIX.test(stem)) stem = stem.replace(LEGAL_SUFFIX, '');
      if (stem !== '') organizationNames.add(stem);
    }
  }
  const orDefault = (names: Set<string>, fallback: readonly string[]): readonly string[] =>
    names.size > 0 ? [...names] : fallback;
  return {
    firstNames: orDefault(firstNames, DIRECTORY_NAME_POOL.firstNames),
    lastNames: orDefault(lastNames, DIRECTORY_NAME_POOL.lastNames),
    organizationNames: orDefault(organizationNames, DIRECTORY_NAME_POOL.organizationNames),
  };
}

export const GROUP_NAME_SUFFIXES = [
  'MEDICAL GROUP',
  'FAMILY PRACTICE',
  'PHYSICIANS LLC',
  'HEALTH PARTNERS',
  'CLINIC PC',
  'MEDICAL ASSOCIATES PA',
  'PRIMARY CARE LLC',
  'SPECIALTY CARE PLLC',
  'HEALTHCARE GROUP',
  'INTERNAL MEDICINE ASSOCIATES',
] as const;

export const FACILITY_NAME_SUFFIXES = [
  'HOSPITAL',
  'MEDICAL CENTER',
  'REGIONAL MEDICAL CENTER',
  'COMMUNITY HOSPITAL',
  'MEMORIAL HOSPITAL',
  'HEALTH CENTER',
] as const;

/**
 * Taxonomies (NUCC v24.0) an individual synthetic provider practises under,
 * with the credentials that go with each. Physician specialties are listed
 * more than once so they dominate, as they do among Medicare Part B billers.
 */
export const INDIVIDUAL_TAXONOMIES: ReadonlyArray<{ code: string; credentials: readonly string[] }> = [
  { code: '207Q00000X', credentials: ['MD', 'DO'] },
  { code: '207Q00000X', credentials: ['MD', 'DO'] },
  { code: '207R00000X', credentials: ['MD', 'DO'] },
  { code: '207R00000X', credentials: ['MD', 'DO'] },
  { code: '207RC0000X', credentials: ['MD'] },
  { code: '2085R0202X', credentials: ['MD'] },
  { code: '207X00000X', credentials: ['MD', 'DO'] },
  { code: '207P00000X', credentials: ['MD', 'DO'] },
  { code: '207L00000X', credentials: ['MD', 'DO'] },
  { code: '2084P0800X', credentials: ['MD'] },
  { code: '207V00000X', credentials: ['MD', 'DO'] },
  { code: '207N00000X', credentials: ['MD'] },
  { code: '208600000X', credentials: ['MD'] },
  { code: '208000000X', credentials: ['MD', 'DO'] },
  { code: '363LF0000X', credentials: ['NP', 'FNP-C', 'APRN'] },
  { code: '363A00000X', credentials: ['PA-C'] },
  { code: '152W00000X', credentials: ['OD'] },
  { code: '225100000X', credentials: ['PT', 'DPT'] },
  { code: '213E00000X', credentials: ['DPM'] },
  { code: '1041C0700X', credentials: ['LCSW'] },
];

/** Organisation taxonomies: a facility (seen as a claim's facility) and a billing organisation. */
export const FACILITY_TAXONOMIES = ['282N00000X', '282N00000X', '314000000X', '251E00000X', '261QA1903X'] as const;
export const BILLING_ORGANIZATION_TAXONOMIES = [
  '193200000X',
  '193400000X',
  '261QP2300X',
  '261QU0200X',
  '261QM1300X',
] as const;

export const STREET_NAMES: readonly string[] = listOf(
  'MAIN, OAK, MAPLE, CEDAR, ELM, WASHINGTON, LAKE, HILL, PARK, PINE, WALNUT, CHURCH, MARKET, CENTER, RIVER, ' +
    'JEFFERSON, LINCOLN, HIGHLAND, FRANKLIN, MADISON',
);
export const STREET_TYPES = ['ST', 'AVE', 'BLVD', 'RD', 'DR', 'LN', 'PKWY', 'WAY'] as const;

/**
 * A few cities per state or territory with the first three digits of their
 * ZIP codes (USPS sectional centers), so a synthetic address is plausible:
 * the city is in the state and its ZIP starts as the city's do.
 */
export const CITIES_BY_STATE: ReadonlyMap<string, ReadonlyArray<readonly [city: string, zipPrefix: string]>> = new Map(
  [
    'AL BIRMINGHAM 352, MONTGOMERY 361, MOBILE 366',
    'AK ANCHORAGE 995, FAIRBANKS 997',
    'AZ PHOENIX 850, TUCSON 857',
    'AR LITTLE ROCK 722, FAYETTEVILLE 727',
    'CA LOS ANGELES 900, SAN DIEGO 921, SACRAMENTO 958, FRESNO 937',
    'CO DENVER 802, COLORADO SPRINGS 809',
    'CT HARTFORD 061, NEW HAVEN 065',
    'DE WILMINGTON 198, DOVER 199',
    'DC WASHINGTON 200',
    'FL MIAMI 331, ORLANDO 328, TAMPA 336, JACKSONVILLE 322',
    'GA ATLANTA 303, SAVANNAH 314',
    'HI HONOLULU 968',
    'ID BOISE 837, POCATELLO 832',
    'IL CHICAGO 606, SPRINGFIELD 627, PEORIA 616',
    'IN INDIANAPOLIS 462, FORT WAYNE 468',
    'IA DES MOINES 503, CEDAR RAPIDS 524',
    'KS WICHITA 672, TOPEKA 666',
    'KY LOUISVILLE 402, LEXINGTON 405',
    'LA NEW ORLEANS 701, BATON ROUGE 708',
    'ME PORTLAND 041, BANGOR 044',
    'MD BALTIMORE 212, ROCKVILLE 208',
    'MA BOSTON 021, WORCESTER 016',
    'MI DETROIT 482, GRAND RAPIDS 495, LANSING 489',
    'MN MINNEAPOLIS 554, SAINT PAUL 551, DULUTH 558',
    'MS JACKSON 392, GULFPORT 395',
    'MO SAINT LOUIS 631, KANSAS CITY 641',
    'MT BILLINGS 591, MISSOULA 598',
    'NE OMAHA 681, LINCOLN 685',
    'NV LAS VEGAS 891, RENO 895',
    'NH MANCHESTER 031, CONCORD 033',
    'NJ NEWARK 071, TRENTON 086',
    'NM ALBUQUERQUE 871, SANTA FE 875',
    'NY NEW YORK 100, BUFFALO 142, ALBANY 122, ROCHESTER 146',
    'NC CHARLOTTE 282, RALEIGH 276, GREENSBORO 274',
    'ND FARGO 581, BISMARCK 585',
    'OH COLUMBUS 432, CLEVELAND 441, CINCINNATI 452, TOLEDO 436',
    'OK OKLAHOMA CITY 731, TULSA 741',
    'OR PORTLAND 972, EUGENE 974',
    'PA PHILADELPHIA 191, PITTSBURGH 152, HARRISBURG 171',
    'RI PROVIDENCE 029',
    'SC COLUMBIA 292, CHARLESTON 294',
    'SD SIOUX FALLS 571, RAPID CITY 577',
    'TN NASHVILLE 372, MEMPHIS 381, KNOXVILLE 379',
    'TX HOUSTON 770, DALLAS 752, SAN ANTONIO 782, AUSTIN 787',
    'UT SALT LAKE CITY 841, PROVO 846',
    'VT BURLINGTON 054, MONTPELIER 056',
    'VA RICHMOND 232, NORFOLK 235, ROANOKE 240',
    'WA SEATTLE 981, SPOKANE 992, TACOMA 984',
    'WV CHARLESTON 253, MORGANTOWN 265',
    'WI MILWAUKEE 532, MADISON 537, GREEN BAY 543',
    'WY CHEYENNE 820, CASPER 826',
    'PR SAN JUAN 009, PONCE 007',
    'VI CHARLOTTE AMALIE 008',
    'GU HAGATNA 969',
    'AS PAGO PAGO 967',
    'MP SAIPAN 969',
  ].map((line) => {
    const [state = '', ...cities] = line.split(' ');
    return [
      state,
      listOf(cities.join(' ')).map((entry) => {
        const cut = entry.lastIndexOf(' ');
        return [entry.slice(0, cut), entry.slice(cut + 1)] as const;
      }),
    ];
  }),
);

/** The 50 states and DC: where synthetic entries without a state hint are placed by default. */
export const DEFAULT_DIRECTORY_STATES: readonly string[] = [...CITIES_BY_STATE.keys()].filter(
  (state) => !['PR', 'VI', 'GU', 'AS', 'MP'].includes(state),
);
