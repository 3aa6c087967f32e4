import { degrees, PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { printable } from "../../platform/pdf-text.js";

/** What a certificate prints. */
export interface CertificatePrint {
  number: string;
  title: string;
  recipient: string;
  course: string;
  issuer: string;
  issuedAt: Date;
  expiresAt: Date | null;
  verificationUrl: string;
  signatoryName?: string | null;
  signatoryTitle?: string | null;
  /** A revoked certificate says so across the page and no longer claims to be valid. */
  revoked?: { at: Date; reason: string | null } | null;
}

function centered(
  page: PDFPage,
  text: string,
  y: number,
  size: number,
  font: PDFFont,
  color = rgb(0.1, 0.1, 0.1),
) {
  const safe = printable(font, text);
  let fontSize = size;
  const maxWidth = page.getWidth() - 160;
  while (font.widthOfTextAtSize(safe, fontSize) > maxWidth && fontSize > 8) fontSize -= 1;
  const width = font.widthOfTextAtSize(safe, fontSize);
  page.drawText(safe, { x: (page.getWidth() - width) / 2, y, size: fontSize, font, color });
}

const day = (d: Date) =>
  d.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });

/** A one-page landscape A4 certificate. */
export async function renderCertificatePdf(print: CertificatePrint): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${print.revoked ? "REVOKED: " : ""}${print.title} — ${print.recipient}`);
  doc.setAuthor(print.issuer);
  doc.setSubject(`${print.course} (${print.number})`);
  doc.setKeywords(["certificate", print.number]);
  doc.setCreator("Lyceum");
  doc.setCreationDate(print.issuedAt);
  doc.setModificationDate(print.issuedAt);
  const page = doc.addPage([841.89, 595.28]);
  const serif = await doc.embedFont(StandardFonts.TimesRoman);
  const serifBold = await doc.embedFont(StandardFonts.TimesRomanBold);
  const sans = await doc.embedFont(StandardFonts.Helvetica);
  const sansBold = await doc.embedFont(StandardFonts.HelveticaBold);
  const navy = rgb(0.12, 0.31, 0.47);
  const { width, height } = page.getSize();
  page.drawRectangle({
    x: 24,
    y: 24,
    width: width - 48,
    height: height - 48,
    borderColor: navy,
    borderWidth: 3,
  });
  page.drawRectangle({
    x: 34,
    y: 34,
    width: width - 68,
    height: height - 68,
    borderColor: navy,
    borderWidth: 0.75,
  });

  centered(page, print.title.toUpperCase(), height - 130, 34, serifBold, navy);
  centered(page, "This certifies that", height - 190, 16, serif);
  centered(page, print.recipient, height - 245, 36, serifBold);
  centered(page, "has successfully completed", height - 290, 16, serif);
  centered(page, print.course, height - 335, 24, serifBold, navy);
  centered(page, `Issued by ${print.issuer} on ${day(print.issuedAt)}`, height - 380, 13, serif);
  const red = rgb(0.7, 0.07, 0.07);
  if (print.revoked) {
    const reason = print.revoked.reason ? `: ${print.revoked.reason}` : "";
    centered(page, `REVOKED on ${day(print.revoked.at)}${reason}`, height - 402, 13, sansBold, red);
    centered(page, "This certificate is no longer valid.", height - 420, 11, sans, red);
    const stamp = "REVOKED";
    const size = 110;
    page.drawText(stamp, {
      x: width / 2 - (sansBold.widthOfTextAtSize(stamp, size) / 2) * Math.cos(Math.PI / 9),
      y: height / 2 - 150,
      size,
      font: sansBold,
      color: red,
      opacity: 0.18,
      rotate: degrees(20),
    });
  } else if (print.expiresAt)
    centered(page, `Valid until ${day(print.expiresAt)}`, height - 400, 12, serif);

  if (print.signatoryName) {
    page.drawLine({
      start: { x: 90, y: 120 },
      end: { x: 300, y: 120 },
      thickness: 0.75,
      color: navy,
    });
    page.drawText(printable(serif, print.signatoryName), { x: 90, y: 102, size: 12, font: serif });
    if (print.signatoryTitle)
      page.drawText(printable(serif, print.signatoryTitle), {
        x: 90,
        y: 86,
        size: 10,
        font: serif,
      });
  }
  const right = width - 90;
  const line = (text: string, y: number, size: number) => {
    const safe = printable(sans, text);
    page.drawText(safe, {
      x: right - sans.widthOfTextAtSize(safe, size),
      y,
      size,
      font: sans,
      color: rgb(0.3, 0.3, 0.3),
    });
  };
  line(`Certificate ${print.number}`, 102, 10);
  line(`Verify at ${print.verificationUrl}`, 86, 8);
  return Buffer.from(await doc.save());
}
