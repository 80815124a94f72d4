"""KTP-like identity cards rendered with Pillow, for the OCR's tests and benchmark.

``make_card(rng)`` draws one card with the layout of the real e-KTP (province and
regency on top, the NIK in a large font, the labelled fields in two columns, the
photo box on the right) for a random person with a valid NIK, and returns the
image and the truth. ``degrade(image, rng)`` turns it into a phone photo: rotation
up to 5 degrees, a small perspective, uneven light, blur, noise and JPEG quality 40.

Only Pillow and a Debian font (fonts-dejavu-core, or fonts-liberation) are needed;
the same seed gives the same cards.
"""

import datetime
import io
import os
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
FONTS = {
    "regular": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
    "bold": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
    "mono": ("DejaVuSansMono-Bold.ttf", "LiberationMono-Bold.ttf"),
}

# (province, regency, the first 4 digits of the NIK, its districts with villages)
REGIONS = [
    (
        "JAWA BARAT",
        "KOTA BANDUNG",
        "3273",
        {
            "01": ("SUKASARI", ["GEGERKALONG", "ISOLA", "SARIJADI", "SUKARASA"]),
            "02": ("COBLONG", ["DAGO", "LEBAKGEDE", "SEKELOA", "CIPAGANTI"]),
            "05": ("BANDUNG WETAN", ["CIHAPIT", "CITARUM", "TAMANSARI"]),
            "10": ("ANTAPANI", ["ANTAPANI KIDUL", "ANTAPANI TENGAH", "ANTAPANI WETAN"]),
        },
    ),
    (
        "JAWA BARAT",
        "KABUPATEN GARUT",
        "3205",
        {
            "01": ("GARUT KOTA", ["PAMINGGIR", "REGOL", "CIWALEN", "SUKAMENTRI"]),
            "03": ("TAROGONG KIDUL", ["JAYARAGA", "SUKAGALIH", "HAURPANGGUNG"]),
            "12": ("KARANGPAWITAN", ["LEBAKJAYA", "SITUSARI", "SUCI"]),
        },
    ),
    (
        "JAWA BARAT",
        "KOTA CIMAHI",
        "3277",
        {
            "01": ("CIMAHI SELATAN", ["CIBEUREUM", "LEUWIGAJAH", "MELONG", "UTAMA"]),
            "02": ("CIMAHI TENGAH", ["BAROS", "CIGUGUR TENGAH", "KARANGMEKAR"]),
            "03": ("CIMAHI UTARA", ["CIBABAT", "CIPAGERAN", "PASIRKALIKI"]),
        },
    ),
    (
        "JAWA BARAT",
        "KABUPATEN BANDUNG",
        "3204",
        {
            "05": ("CILEUNYI", ["CIBIRU HILIR", "CILEUNYI KULON", "CINUNUK"]),
            "09": ("BALEENDAH", ["ANDIR", "JELEKONG", "MANGGAHANG", "WARGAMEKAR"]),
            "22": ("SOREANG", ["PAMEKARAN", "SADU", "SOREANG", "SUKAJADI"]),
        },
    ),
]
BIRTH_PLACES = ["BANDUNG", "GARUT", "CIMAHI", "TASIKMALAYA", "SUMEDANG", "CIANJUR"]
BIRTH_PLACES += ["JAKARTA", "BOGOR", "SUKABUMI", "CIREBON", "SURABAYA", "MEDAN"]
FIRST_MALE = ["AHMAD", "BUDI", "DEDI", "AGUS", "RUDI", "ASEP", "DADANG", "CECEP"]
FIRST_MALE += ["YUSUF", "RIZKY", "HENDRA", "IWAN", "UJANG", "FAJAR", "GILANG"]
FIRST_FEMALE = ["SITI", "DEWI", "RINA", "NENG", "IMAS", "LILIS", "WULAN", "ANI"]
FIRST_FEMALE += ["NURUL", "FITRI", "YANTI", "EUIS", "RATNA", "INTAN", "MAYA"]
LAST = ["SANTOSO", "HIDAYAT", "SETIAWAN", "KURNIAWAN", "NURHAYATI", "RAHMAWATI"]
LAST += ["SAPUTRA", "PERMANA", "SUHERMAN", "MULYANA", "KUSNADI", "GUNAWAN", "SOLIHIN"]
LAST += ["MAULANA", "PRATAMA", "WIJAYA", "FAUZI", "HERMAWAN", "SUPRIATNA"]
STREETS = ["JL. ASIA AFRIKA", "JL. MERDEKA", "JL. CIHAMPELAS", "JL. SOEKARNO HATTA"]
STREETS += ["JL. PASIR KALIKI", "JL. RAYA CIBEUREUM", "JL. GATOT SUBROTO"]
STREETS += ["KP. CIBOGO", "JL. CIWASTRA", "GG. MESJID", "JL. TERUSAN JAKARTA"]
RELIGIONS = ["ISLAM"] * 6 + ["KRISTEN", "KATOLIK", "HINDU", "BUDDHA", "KONGHUCU"]
MARITAL = ["BELUM KAWIN", "KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"]
OCCUPATIONS = ["KARYAWAN SWASTA", "WIRASWASTA", "PELAJAR/MAHASISWA", "PETANI/PEKEBUN"]
OCCUPATIONS += ["MENGURUS RUMAH TANGGA", "PEGAWAI NEGERI SIPIL", "GURU", "PEDAGANG"]
OCCUPATIONS += ["BURUH HARIAN LEPAS", "KARYAWAN BUMN", "SOPIR", "TIDAK BEKERJA"]
BLOOD = ["A", "B", "AB", "O", "-"]

WIDTH, HEIGHT = 1012, 638  # 85.6 x 54 mm at 300 dpi


def _font(kind, size):
    for name in FONTS[kind]:
        for folder in FONT_DIRS:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                return ImageFont.truetype(path, size)
    raise RuntimeError(
        "No DejaVu or Liberation font: install fonts-dejavu-core (apt-get install -y "
        "fonts-dejavu-core)."
    )


def random_person(rng):
    """The data printed on one card, with a valid NIK."""
    province, regency, code, districts = rng.choice(REGIONS)
    district_code = rng.choice(sorted(districts))
    district, villages = districts[district_code]
    female = rng.random() < 0.5
    birthdate = datetime.date(1960, 1, 1) + datetime.timedelta(
        days=rng.randrange(0, 365 * 45)
    )
    day = birthdate.day + (40 if female else 0)
    nik = "%s%s%02d%02d%02d%04d" % (
        code,
        district_code,
        day,
        birthdate.month,
        birthdate.year % 100,
        rng.randrange(1, 10000),
    )
    first = rng.choice(FIRST_FEMALE if female else FIRST_MALE)
    name = "%s %s" % (first, rng.choice(LAST))
    if rng.random() < 0.3:
        name = "%s %s" % (name, rng.choice(LAST))
    street = "%s NO. %d" % (rng.choice(STREETS), rng.randrange(1, 200))
    if rng.random() < 0.3:
        street = "%s BLOK %s" % (street, rng.choice("ABCDEFGH"))
    return {
        "province": province,
        "regency": regency,
        "nik": nik,
        "name": name,
        "birth_place": rng.choice(BIRTH_PLACES),
        "birthdate": birthdate,
        "gender": "female" if female else "male",
        "blood": rng.choice(BLOOD),
        "street": street,
        "rt_rw": "%03d/%03d" % (rng.randrange(1, 20), rng.randrange(1, 15)),
        "village": rng.choice(villages),
        "district": district,
        "religion": rng.choice(RELIGIONS),
        "marital_status": rng.choice(MARITAL),
        "occupation": rng.choice(OCCUPATIONS),
        "issued": "%02d-%02d-20%02d"
        % (rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(12, 24)),
    }


def render(person, rng):
    """The card of ``person`` as a clean RGB image."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    # the pale blue-green guilloche background of the e-KTP
    for y in range(HEIGHT):
        shade = int(18 * y / HEIGHT)
        draw.line([(0, y), (WIDTH, y)], fill=(200 - shade, 226 - shade, 236 - shade))
    for _i in range(40):
        x, y, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(40, 220)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(182, 212, 226), width=1)
    title, label, nik_font = _font("bold", 26), _font("regular", 21), _font("mono", 34)
    value_font = _font("bold", 21)
    black = (15, 15, 20)
    for text, y in (
        ("PROVINSI " + person["province"], 14),
        (person["regency"], 46),
    ):
        width = draw.textlength(text, font=title)
        draw.text(((WIDTH - width) / 2, y), text, font=title, fill=black)
    draw.text((30, 96), "NIK", font=_font("bold", 30), fill=black)
    draw.text((160, 96), ":", font=_font("bold", 30), fill=black)
    draw.text((190, 94), person["nik"], font=nik_font, fill=black)
    birth = "%s, %s" % (person["birth_place"], person["birthdate"].strftime("%d-%m-%Y"))
    rows = [
        ("Nama", person["name"]),
        ("Tempat/Tgl Lahir", birth),
        ("Jenis Kelamin", "LAKI-LAKI" if person["gender"] == "male" else "PEREMPUAN"),
        ("Alamat", person["street"]),
        ("    RT/RW", person["rt_rw"]),
        ("    Kel/Desa", person["village"]),
        ("    Kecamatan", person["district"]),
        ("Agama", person["religion"]),
        ("Status Perkawinan", person["marital_status"]),
        ("Pekerjaan", person["occupation"]),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    y = 146
    for caption, value in rows:
        draw.text((30, y), caption, font=label, fill=black)
        draw.text((232, y), ":", font=label, fill=black)
        draw.text((248, y), value, font=value_font, fill=black)
        if caption == "Jenis Kelamin":
            draw.text(
                (520, y), "Gol. Darah : " + person["blood"], font=label, fill=black
            )
        y += 37
    # the photo, the place and date of issue, the signature
    draw.rectangle([770, 120, 975, 390], fill=(160, 40, 40))
    draw.ellipse([820, 150, 925, 270], fill=(225, 190, 160))
    draw.rectangle([800, 280, 945, 390], fill=(40, 40, 60))
    small = _font("regular", 19)
    for text, y in (
        (person["regency"].split(" ", 1)[-1], 410),
        (person["issued"], 436),
    ):
        width = draw.textlength(text, font=small)
        draw.text((872 - width / 2, y), text, font=small, fill=black)
    draw.line([(800, 520), (850, 490), (890, 525), (940, 495)], fill=black, width=2)
    return image


def degrade(image, rng):
    """A phone photo of the card: on a table, slightly turned and tilted, in uneven
    light, a bit blurred and noisy, saved as JPEG quality 40."""
    margin = 60
    table = (rng.randrange(90, 160), rng.randrange(80, 140), rng.randrange(60, 120))
    canvas = Image.new("RGB", (WIDTH + 2 * margin, HEIGHT + 2 * margin), table)
    canvas.paste(image, (margin, margin))
    # perspective: move each corner by up to 2.5 % of the card's size
    width, height = canvas.size
    jitter = [
        rng.uniform(-0.025, 0.025) * (WIDTH if i % 2 == 0 else HEIGHT) for i in range(8)
    ]
    corners = [0, 0, width, 0, width, height, 0, height]
    quad = [c + j for c, j in zip(corners, jitter)]
    canvas = canvas.transform(
        canvas.size,
        Image.QUAD,
        [quad[0], quad[1], quad[6], quad[7], quad[4], quad[5], quad[2], quad[3]],
        resample=Image.BICUBIC,
        fillcolor=table,
    )
    canvas = canvas.rotate(
        rng.uniform(-5, 5), resample=Image.BICUBIC, expand=True, fillcolor=table
    )
    # uneven light: brighter on one side, darker on the other
    width, height = canvas.size
    light = Image.linear_gradient("L").resize((width, height))
    light = light.rotate(rng.uniform(0, 360), fillcolor=128)
    low, high = rng.uniform(0.55, 0.75), rng.uniform(1.0, 1.15)
    light = light.point(lambda v: int(255 * (low + (high - low) * v / 255) / 1.15))
    dark = Image.new("RGB", canvas.size, (0, 0, 0))
    canvas = Image.composite(canvas, dark, light)
    canvas = canvas.point(lambda v: min(255, int(v * 1.15)))
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.3)))
    # sensor noise (from the seeded generator: the same seed, the same photo)
    noise = Image.frombytes("L", canvas.size, rng.randbytes(width * height))
    canvas = Image.blend(canvas, noise.convert("RGB"), rng.uniform(0.08, 0.14))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=40)
    return Image.open(io.BytesIO(buffer.getvalue()))


def to_jpeg(image, quality=90):
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def make_cards(count, seed=14, degraded=False):
    """``count`` cards as ``(jpeg_bytes, truth)``, the same for the same seed."""
    rng = random.Random(seed)
    cards = []
    for _i in range(count):
        person = random_person(rng)
        image = render(person, rng)
        if degraded:
            image = degrade(image, rng)
        cards.append((to_jpeg(image, 40 if degraded else 92), person))
    return cards
