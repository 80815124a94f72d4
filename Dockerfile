# The official Odoo 16 image with what the Daya CRM addons need beyond it: Tesseract OCR
# and its Indonesian model (daya_ktp), a DejaVu font (the KTP test cards) and the
# Python packages of requirements.txt.
FROM odoo:16.0
USER root
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-ind fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/daya-requirements.txt
RUN pip3 install --no-cache-dir -r /tmp/daya-requirements.txt \
    && rm /tmp/daya-requirements.txt
USER odoo
