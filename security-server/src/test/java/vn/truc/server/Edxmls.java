package vn.truc.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** edXML packages for tests: small documents and statuses made to order, and the shared real samples. */
final class Edxmls {
    private static final String NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

    private Edxmls() {}

    /** A document {@code from} one agency {@code to} others, with one attachment holding {@code text}. */
    static byte[] document(String documentId, String from, List<String> to, int businessType, List<String> replaces) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"")
                .append(NS)
                .append("\" xmlns:edXML=\"")
                .append(NS)
                .append("\">\n")
                .append("<edXML:edXMLEnvelope xmlns:edXML=\"")
                .append(NS)
                .append("\">\n<edXML:edXMLHeader>\n")
                .append("<edXML:MessageHeader>\n<edXML:From><edXML:OrganId>")
                .append(from)
                .append("</edXML:OrganId><edXML:OrganName>Cơ quan ")
                .append(from)
                .append("</edXML:OrganName></edXML:From>\n");
        for (String organ : to) {
            x.append("<edXML:To><edXML:OrganId>").append(organ).append("</edXML:OrganId></edXML:To>\n");
        }
        String number = documentId.substring(documentId.lastIndexOf(',') + 1).split("/")[0];
        x.append("<edXML:DocumentId>")
                .append(documentId)
                .append("</edXML:DocumentId>\n")
                .append("<edXML:Code><edXML:CodeNumber>")
                .append(number)
                .append("</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>\n")
                .append("<edXML:Subject>Về việc thử nghiệm liên thông văn bản</edXML:Subject>\n")
                .append("</edXML:MessageHeader>\n<edXML:TraceHeaderList>\n<edXML:TraceHeader><edXML:OrganId>")
                .append(from)
                .append("</edXML:OrganId><edXML:Timestamp>2026/11/23 08:00:00</edXML:Timestamp></edXML:TraceHeader>\n")
                .append("<edXML:Bussiness><edXML:DocumentId>")
                .append(documentId)
                .append("</edXML:DocumentId><edXML:BussinessDocType>")
                .append(businessType)
                .append("</edXML:BussinessDocType>");
        if (!replaces.isEmpty()) {
            x.append("<edXML:ReplacementInfoList>");
            for (String replaced : replaces) {
                x.append("<edXML:ReplacementInfo><edXML:DocumentId>")
                        .append(replaced)
                        .append("</edXML:DocumentId></edXML:ReplacementInfo>");
            }
            x.append("</edXML:ReplacementInfoList>");
        }
        String content =
                Base64.getEncoder().encodeToString(("Nội dung " + documentId).getBytes(StandardCharsets.UTF_8));
        x.append("</edXML:Bussiness>\n</edXML:TraceHeaderList>\n</edXML:edXMLHeader>\n")
                .append(
                        "<edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference><edXML:ContentId>cid:1</edXML:ContentId>")
                .append("<edXML:ContentType>application/pdf</edXML:ContentType><edXML:AttachmentName>vb.pdf")
                .append("</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>\n")
                .append("</edXML:edXMLEnvelope>\n<edXML:AttachmentEncoded><edXML:Attachment>")
                .append("<edXML:ContentId>cid:1</edXML:ContentId><edXML:AttachmentName>vb.pdf</edXML:AttachmentName>")
                .append("<edXML:ContentType>application/pdf</edXML:ContentType><edXML:ContentTransferEncoded>")
                .append(content)
                .append("</edXML:ContentTransferEncoded></edXML:Attachment></edXML:AttachmentEncoded>\n</edXML>\n");
        return x.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A status {@code code} that agency {@code from} sets about document {@code documentId} of {@code issuer}. */
    static byte[] status(String documentId, String issuer, String from, String code, String timestamp) {
        String x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"" + NS + "\">\n"
                + "<edXML:edXMLEnvelope xmlns:edXML=\"" + NS + "\"><edXML:edXMLHeader><edXML:MessageHeader>"
                + "<edXML:From><edXML:OrganId>" + from + "</edXML:OrganId></edXML:From>"
                + "<edXML:ResponseFor><edXML:OrganId>" + issuer + "</edXML:OrganId><edXML:DocumentId>" + documentId
                + "</edXML:DocumentId></edXML:ResponseFor>"
                + "<edXML:StaffInfo><edXML:Staff>Nguyễn Văn A</edXML:Staff></edXML:StaffInfo>"
                + "<edXML:StatusCode>" + code + "</edXML:StatusCode><edXML:Description>Trạng thái " + code
                + "</edXML:Description><edXML:Timestamp>" + timestamp + "</edXML:Timestamp>"
                + "</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>\n</edXML>\n";
        return x.getBytes(StandardCharsets.UTF_8);
    }

    /** The directory of the real samples, {@code shared/edxml-samples} beside the project. */
    static Path samples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (String relative : List.of("shared/edxml-samples", "../shared/edxml-samples")) {
                Path candidate = dir.resolve(relative).normalize();
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(
                "shared/edxml-samples not found above " + Path.of("").toAbsolutePath());
    }
}
