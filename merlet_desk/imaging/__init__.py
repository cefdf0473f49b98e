"""Image work without Qt and without SQL: scanned paper forms and photos.

Paper forms: `omr` (corner marks, perspective, QR code, box measurement), `pages` (reading a
stack of scans) and `synthetic` (generated scans for tests and the benchmark).

Photos:
- `photo`: read a picture (EXIF orientation applied) and write fresh pixels to a new JPEG,
  which carries no metadata at all (no EXIF, GPS, XMP, IPTC or embedded thumbnail).
- `faces`: face *detection* (CenterFace through OpenCV's DNN module, on a downscaled copy):
  where faces are, never who. Nothing biometric is computed or stored.
- `anonymise`: blur, pixelate or cover boxes so that a face cannot be recovered, and the
  command-level steps (make unrecognisable, clean copy) that the CLI and the GUI share.
- `video`: a frame and the length of a video, and every face hidden in a new MP4 with the
  sound kept (PyAV, which carries its own FFmpeg).
- `preview`: a screen-sized copy with the faces, for the GUI's photo views.

OpenCV, numpy and PyAV are imported inside the functions or modules that use them, never at
start-up: import the photo modules only where a photo is handled.
"""
