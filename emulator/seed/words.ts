/** Fixed vocabulary for the demo store "Juniper & Pine": people, places and products. */

export const STORE = {
  name: "Juniper & Pine",
  website: "https://juniperandpine.example.com",
  senderEmail: "hello@juniperandpine.example.com",
  replyTo: "support@juniperandpine.example.com",
  cdn: "https://cdn.example.com/juniper-pine",
} as const;

// biome-ignore format: a compact word list
export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
  "Mia", "Mason", "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Aiden", "Abigail", "Caleb",
  "Emily", "Owen", "Ella", "Wyatt", "Scarlett", "Henry", "Grace", "Jack", "Chloe", "Levi", "Nora",
  "Hudson", "Lily", "Ezra", "Hazel", "Miles", "Aurora", "Theo", "Violet", "Rowan", "Willow",
  "Jasper", "Ivy", "Silas", "Luna", "Finn", "Sage", "Arlo", "Maya", "Beckett", "Priya", "Arjun",
  "Mei", "Kenji", "Sofia", "Mateo", "Camila", "Diego", "Aisha", "Omar", "Fatima", "Tariq", "Zara",
  "Kwame", "Amara", "Jamal", "Leah", "Daniel", "Hannah", "Samuel", "Naomi", "Isaac", "Ruth",
  "Julian", "Clara", "Declan", "Margot", "Emmett", "Juniper", "Reid",
];

// biome-ignore format: a compact word list
export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
  "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
  "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
  "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
  "Mitchell", "Carter", "Roberts", "Patel", "Shah", "Kim", "Chen", "Tanaka", "Okafor", "Mensah",
  "Haddad", "Larsen", "Novak", "Schmidt", "O'Brien", "Murphy", "Sullivan", "Fischer", "Brooks",
  "Bennett", "Hayes", "Foster", "Reyes", "Ellis", "Weaver", "Holloway", "Fairbanks", "Whitaker",
  "Lindqvist", "Castillo", "Abernathy", "Greer", "Pike",
];

export const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com"];

export interface City {
  city: string;
  region: string;
  country: string;
  zip: string;
  timezone: string;
  latitude: number;
  longitude: number;
  areaCode: string;
  locale: string;
}

const us = (
  city: string,
  region: string,
  zip: string,
  timezone: string,
  latitude: number,
  longitude: number,
  areaCode: string,
): City => ({
  city,
  region,
  country: "United States",
  zip,
  timezone,
  latitude,
  longitude,
  areaCode,
  locale: "en-US",
});

/** Weighted toward the Northeast and the Rockies, where an outdoor shop's customers cluster. */
export const CITIES: City[] = [
  us("Burlington", "Vermont", "05401", "America/New_York", 44.4759, -73.2121, "802"),
  us("Portland", "Maine", "04101", "America/New_York", 43.6591, -70.2568, "207"),
  us("Boston", "Massachusetts", "02116", "America/New_York", 42.3601, -71.0589, "617"),
  us("Brooklyn", "New York", "11211", "America/New_York", 40.7081, -73.9571, "718"),
  us("Asheville", "North Carolina", "28801", "America/New_York", 35.5951, -82.5515, "828"),
  us("Philadelphia", "Pennsylvania", "19103", "America/New_York", 39.9526, -75.1652, "215"),
  us("Burlington", "Vermont", "05403", "America/New_York", 44.4473, -73.1987, "802"),
  us("Boulder", "Colorado", "80302", "America/Denver", 40.015, -105.2705, "303"),
  us("Denver", "Colorado", "80205", "America/Denver", 39.7392, -104.9903, "720"),
  us("Salt Lake City", "Utah", "84101", "America/Denver", 40.7608, -111.891, "801"),
  us("Bozeman", "Montana", "59715", "America/Denver", 45.677, -111.0429, "406"),
  us("Chicago", "Illinois", "60614", "America/Chicago", 41.8781, -87.6298, "312"),
  us("Minneapolis", "Minnesota", "55401", "America/Chicago", 44.9778, -93.265, "612"),
  us("Austin", "Texas", "78701", "America/Chicago", 30.2672, -97.7431, "512"),
  us("Madison", "Wisconsin", "53703", "America/Chicago", 43.0731, -89.4012, "608"),
  us("Seattle", "Washington", "98101", "America/Los_Angeles", 47.6062, -122.3321, "206"),
  us("Portland", "Oregon", "97205", "America/Los_Angeles", 45.5152, -122.6784, "503"),
  us("Bend", "Oregon", "97701", "America/Los_Angeles", 44.0582, -121.3153, "541"),
  us("San Francisco", "California", "94110", "America/Los_Angeles", 37.7749, -122.4194, "415"),
  us("Sacramento", "California", "95814", "America/Los_Angeles", 38.5816, -121.4944, "916"),
  us("Flagstaff", "Arizona", "86001", "America/Phoenix", 35.1983, -111.6513, "928"),
  {
    city: "Vancouver",
    region: "British Columbia",
    country: "Canada",
    zip: "V6B 1A1",
    timezone: "America/Vancouver",
    latitude: 49.2827,
    longitude: -123.1207,
    areaCode: "604",
    locale: "en-CA",
  },
  {
    city: "Toronto",
    region: "Ontario",
    country: "Canada",
    zip: "M5V 2T6",
    timezone: "America/Toronto",
    latitude: 43.6532,
    longitude: -79.3832,
    areaCode: "416",
    locale: "en-CA",
  },
  {
    city: "Edinburgh",
    region: "Scotland",
    country: "United Kingdom",
    zip: "EH1 1YZ",
    timezone: "Europe/London",
    latitude: 55.9533,
    longitude: -3.1883,
    areaCode: "",
    locale: "en-GB",
  },
];

// biome-ignore format: a compact word list
export const STREETS = [
  "Maple Ave", "Cedar Ln", "Birch St", "Pine Ridge Rd", "Lakeview Dr", "Summit St",
  "Hillcrest Rd", "Elm St", "Mill Rd", "River Rd", "Aspen Ct", "Canyon Blvd", "Meadow Ln",
  "Orchard St",
];

export const CATEGORIES = [
  { key: "camping", name: "Camping" },
  { key: "hiking", name: "Hiking" },
  { key: "apparel", name: "Apparel" },
  { key: "camp-kitchen", name: "Camp Kitchen" },
  { key: "home-and-cabin", name: "Home & Cabin" },
  { key: "accessories", name: "Accessories" },
] as const;

export type CategoryKey = (typeof CATEGORIES)[number]["key"];

/** How a product's variants differ: clothing sizes, colors, or a single variant. */
export type VariantKind = "size" | "color" | "single";

export interface ProductSpec {
  title: string;
  category: CategoryKey;
  price: number;
  variants: VariantKind;
  material: string;
  description: string;
}

const p = (
  title: string,
  category: CategoryKey,
  price: number,
  variants: VariantKind,
  material: string,
  description: string,
): ProductSpec => ({ title, category, price, variants, material, description });

// biome-ignore format: one product per line
export const PRODUCTS: ProductSpec[] = [
  p("Ridgeline 2-Person Tent", "camping", 349, "color", "Ripstop nylon", "A freestanding three-season tent that pitches in five minutes and packs down to the size of a loaf of bread."),
  p("Alpine Down Sleeping Bag 20°F", "camping", 229, "size", "Responsibly sourced down", "Warm to 20°F with a draft collar and a zip that does not snag."),
  p("Basecamp Camp Chair", "camping", 69, "color", "Powder-coated aluminum", "A low-slung chair with a cup holder and a carry sack."),
  p("Lumen LED Lantern", "camping", 39, "single", "Recycled ABS", "Rechargeable lantern with warm and cool modes and a USB-C port."),
  p("Trailhead Hammock", "camping", 59, "color", "Parachute nylon", "Packs into its own pouch; straps included."),
  p("Featherlite Sleeping Pad", "camping", 119, "size", "TPU-laminated nylon", "An insulated air pad with an R-value of 4.2."),
  p("Summit 4-Person Tent", "camping", 489, "single", "Ripstop polyester", "Room for the whole family and a vestibule for the boots."),
  p("Cascade 35L Daypack", "hiking", 139, "color", "Recycled nylon", "A ventilated back panel, hip-belt pockets and a hydration sleeve."),
  p("Switchback Trekking Poles", "hiking", 89, "single", "Carbon fiber", "Flick-lock poles that fold to 15 inches."),
  p("Timberline Hiking Boots", "hiking", 179, "size", "Waterproof leather", "Broken in from day one, with a grippy lugged sole."),
  p("Stream Water Filter", "hiking", 49, "single", "Hollow-fiber membrane", "Filters up to 1,000 gallons; weighs 3 oz."),
  p("Trail Running Vest", "hiking", 99, "size", "Stretch mesh", "Two soft flasks and room for a shell."),
  p("Ridge Merino Hiking Socks (3-Pack)", "hiking", 36, "size", "Merino wool blend", "Cushioned, blister-resistant and naturally odor-free."),
  p("Compass & Map Kit", "hiking", 29, "single", "Brass and waxed canvas", "A baseplate compass, a waterproof map case and a field guide."),
  p("Merino Base Layer Crew", "apparel", 85, "size", "100% merino wool", "A next-to-skin layer for cold mornings."),
  p("Packable Rain Shell", "apparel", 149, "size", "2.5-layer waterproof nylon", "Stuffs into its own pocket; pit zips for venting."),
  p("Fleece Quarter-Zip", "apparel", 79, "size", "Recycled polyester fleece", "The pullover you will wear on every trip."),
  p("Canvas Field Pants", "apparel", 95, "size", "Organic cotton canvas", "Tough enough for trail work, soft enough for the cabin."),
  p("Flannel Camp Shirt", "apparel", 68, "size", "Brushed organic cotton", "A heavyweight flannel in a classic check."),
  p("Insulated Puffer Vest", "apparel", 129, "size", "Recycled synthetic insulation", "Warmth without bulk; stays warm when damp."),
  p("Sun Hoodie", "apparel", 55, "size", "UPF 50 knit", "Light sun protection for long days above treeline."),
  p("Enamel Camp Mug", "camp-kitchen", 18, "color", "Enamel-coated steel", "The mug for coffee at the trailhead."),
  p('Cast Iron Skillet 10"', "camp-kitchen", 45, "single", "Pre-seasoned cast iron", "For campfire breakfasts and stovetop cornbread."),
  p("Pour-Over Coffee Kit", "camp-kitchen", 42, "single", "Stainless steel", "A collapsible dripper, a burr grinder and a mug."),
  p("Titanium Cookset", "camp-kitchen", 79, "single", "Titanium", "A pot, a pan and a lid that nest around a fuel canister."),
  p("Collapsible Camp Sink", "camp-kitchen", 34, "single", "Silicone", "Holds 10 liters and folds flat."),
  p("Two-Burner Camp Stove", "camp-kitchen", 139, "single", "Steel", "Two 10,000 BTU burners with wind screens."),
  p("Insulated Growler 64oz", "camp-kitchen", 52, "color", "Double-wall stainless steel", "Keeps drinks cold for 24 hours."),
  p("Wool Cabin Blanket", "home-and-cabin", 119, "color", "Recycled wool", "A heavyweight blanket woven in a New England mill."),
  p("Cedar & Pine Soy Candle", "home-and-cabin", 28, "single", "Soy wax", "Forty hours of cedar, pine and a hint of woodsmoke."),
  p("Hand-Thrown Stoneware Mug", "home-and-cabin", 32, "color", "Stoneware", "Each one is a little different."),
  p("Woven Throw Pillow", "home-and-cabin", 48, "color", "Cotton and wool", "A geometric pattern inspired by trail markers."),
  p("Birch Serving Board", "home-and-cabin", 58, "single", "Birch", "For cheese, bread and everything in between."),
  p("Trail Map Art Print", "home-and-cabin", 40, "size", "Archival paper", "A letterpress print of a classic trail map."),
  p("Beeswax Food Wraps (Set of 3)", "home-and-cabin", 22, "single", "Beeswax and cotton", "A reusable alternative to plastic wrap."),
  p("Juniper Logo Trucker Hat", "accessories", 29, "color", "Cotton twill", "Our logo, embroidered."),
  p("Insulated Water Bottle 32oz", "accessories", 38, "color", "Stainless steel", "Cold for a day, hot for twelve hours."),
  p("Headlamp 400 Lumen", "accessories", 45, "single", "Aluminum", "Rechargeable with a red night-vision mode."),
  p("Multi-Tool", "accessories", 64, "single", "Stainless steel", "Fourteen tools, including pliers and a saw."),
  p("Dry Bag 20L", "accessories", 34, "color", "Welded TPU", "Keeps gear dry on the river."),
  p("Gift Card", "accessories", 50, "single", "Digital", "Delivered by email; never expires."),
];

export const COLORS = ["Moss", "Slate", "Sand", "Rust", "Navy", "Charcoal"];
export const SIZES = ["XS", "S", "M", "L", "XL"];

export const SIGNUP_SOURCES = [
  "Website Popup",
  "Footer Form",
  "Checkout",
  "In-Store Event",
  "Instagram",
  "Import",
] as const;

export const ORGANIZATIONS = [
  ["Green Mountain Scouts", "Troop Leader"],
  ["Northside Climbing Club", "Trip Coordinator"],
  ["Cedar Valley Outfitters", "Buyer"],
  ["Lakeside Summer Camp", "Program Director"],
  ["Trailworks Nonprofit", "Volunteer Manager"],
] as const;
