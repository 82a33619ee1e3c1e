/**
 * Names for generated rows. Trades and part categories follow the tier: tier 1
 * assembles products, tier 2 makes modules, tier 3 components, deeper tiers
 * process and mine raw materials.
 */
export const SUPPLIER_WORDS = [
  'Precision',
  'Advanced',
  'United',
  'Pacific',
  'Golden',
  'Northern',
  'Allied',
  'Summit',
  'Prime',
  'Delta',
  'Apex',
  'Orient',
  'Continental',
  'Meridian',
  'Sunrise',
  'Phoenix',
  'Eagle',
  'Crown',
  'Harbor',
  'Everbright',
];

/** Trades by tier: index 0 = tier 1, the last entry serves every deeper tier. */
export const SUPPLIER_TRADES: readonly (readonly string[])[] = [
  ['Assembly', 'Contract Manufacturing', 'Electronics Manufacturing', 'Industries', 'Technologies'],
  ['Components', 'Circuits', 'Magnetics', 'Precision Castings', 'Plastics', 'Optics', 'Power Systems', 'Displays'],
  ['Castings', 'Metalworks', 'Polymers', 'Stampings', 'Forgings', 'Semiconductor', 'Cables', 'Coatings'],
  ['Metals', 'Chemicals', 'Refining', 'Mining', 'Materials', 'Resources'],
];

/** Part categories with part names, by the tier of the sites that make them: index 0 = tier 2, the last serves deeper tiers. */
export const PART_CATALOG: readonly (readonly (readonly [category: string, names: readonly string[]])[])[] = [
  [
    ['pcb-assemblies', ['Main board assembly', 'Power board', 'Sensor module', 'Bluetooth module', 'Display driver board']],
    ['batteries', ['Li-ion battery pack', 'Battery module']],
    ['displays', ['LCD panel', 'OLED panel', 'Touch panel']],
    ['housings', ['Aluminium housing', 'Injection-moulded enclosure', 'Die-cast frame']],
    ['motors', ['BLDC motor', 'Stepper motor', 'Vibration motor']],
    ['acoustics', ['Speaker driver', 'MEMS microphone module']],
    ['packaging', ['Retail box', 'Moulded pulp insert']],
  ],
  [
    ['semiconductors', ['Microcontroller', 'Power MOSFET', 'DRAM chip', 'Power management IC', 'RF transceiver']],
    ['passives', ['MLCC capacitor', 'Chip resistor', 'Ferrite inductor']],
    ['castings', ['Aluminium die casting', 'Zinc die casting', 'Magnesium casting']],
    ['stampings', ['Steel stamping', 'Copper busbar', 'Spring contact']],
    ['plastics', ['ABS compound', 'Polycarbonate moulding', 'Silicone keypad']],
    ['cables', ['Wire harness', 'Flexible printed cable', 'USB-C connector']],
    ['magnets', ['NdFeB magnet', 'Ferrite magnet']],
    ['pcb', ['Bare PCB', 'HDI substrate']],
    ['fasteners', ['Machine screw', 'Rivet', 'Threaded insert']],
    ['cells', ['Li-ion cell', 'Separator film']],
  ],
  [
    ['metals', ['Copper foil', 'Aluminium ingot', 'Steel coil', 'Zinc alloy ingot', 'Tin solder']],
    ['chemicals', ['Epoxy resin', 'Electrolyte', 'Photoresist', 'Solder flux']],
    ['polymers', ['ABS resin', 'Polycarbonate pellets', 'Polyimide film']],
    ['silicon', ['Silicon wafer', 'Polysilicon']],
    ['rare-earths', ['Neodymium oxide', 'Dysprosium oxide']],
    ['battery-materials', ['Lithium carbonate', 'Cobalt hydroxide', 'Graphite anode powder', 'Nickel sulphate']],
  ],
];

/** Parts with a single, specialised source: the hidden chokepoints. */
export const SPECIALTY_PARTS: readonly (readonly [category: string, name: string])[] = [
  ['specialty-chemicals', 'High-purity hydrofluoric acid'],
  ['specialty-chemicals', 'Photoinitiator'],
  ['semiconductors', 'Crystal oscillator'],
  ['specialty-materials', 'Ajinomoto build-up film'],
  ['specialty-materials', 'Glass fibre cloth'],
  ['passives', 'Tantalum capacitor'],
];

/** Parts that flow back upstream when two suppliers trade (the optional cycles). */
export const RETURNABLE_PARTS: readonly string[] = ['Returnable transport rack', 'Reworked sub-assembly', 'Reusable tooling', 'Calibration fixture'];

export const SKU_LINES = ['Aero', 'Nova', 'Pulse', 'Terra', 'Vista', 'Orbit', 'Echo', 'Zen', 'Flux', 'Atlas', 'Lumen', 'Halo'];

export const SKU_PRODUCTS: readonly (readonly [name: string, category: string])[] = [
  ['Speaker', 'audio'],
  ['Soundbar', 'audio'],
  ['Headphones', 'audio'],
  ['Earbuds', 'audio'],
  ['Smartwatch', 'wearables'],
  ['Fitness tracker', 'wearables'],
  ['Blender', 'appliances'],
  ['Kettle', 'appliances'],
  ['Air purifier', 'appliances'],
  ['Robot vacuum', 'appliances'],
  ['Desk lamp', 'lighting'],
  ['LED panel', 'lighting'],
  ['Cordless drill', 'tools'],
  ['Impact driver', 'tools'],
  ['Wi-Fi router', 'networking'],
  ['Mesh node', 'networking'],
  ['E-bike battery', 'mobility'],
  ['Scooter', 'mobility'],
  ['Tablet', 'computing'],
  ['Keyboard', 'computing'],
];
