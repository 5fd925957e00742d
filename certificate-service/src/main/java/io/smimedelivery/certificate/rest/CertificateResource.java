package io.smimedelivery.certificate.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.imports.CertificateImporter;
import io.smimedelivery.certificate.imports.ImportKey;
import io.smimedelivery.certificate.imports.ImportFile;
import io.smimedelivery.certificate.imports.ImportResult;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;

/** Imports of users' PKCS#12 files, and the certificates stored for a user. */
@Path("/api/certificates")
@Tag(name = "Certificates")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class CertificateResource {

    /** Files to import; each gets its own result. */
    public record ImportRequest(List<ImportFile> files) {
    }

    /** Results in the order of the request's files. */
    public record ImportResponse(List<ImportResult> results) {
    }

    /** A stored certificate; private keys are never returned. */
    public record CertificateView(String thumbprintSha256, String thumbprintSha1, String serialNumberHex,
            String subjectDn, String issuerDn, String purpose, Instant notBefore, Instant notAfter,
            String emailAddresses, Instant importedAt) {
    }

    private static final int MAX_FILES = 500;

    /** The public key that PKCS#12 passwords may be encrypted to. */
    public record ImportKeyView(String keyId, String algorithm, String publicKeyPem) {
    }

    private final CertificateImporter importer;
    private final ImportKey importKey;

    public CertificateResource(CertificateImporter importer, ImportKey importKey) {
        this.importer = importer;
        this.importKey = importKey;
    }

    @GET
    @Path("/import-key")
    @Operation(summary = "Read the public key that PKCS#12 passwords may be encrypted to (RSA-OAEP with SHA-256)")
    public ImportKeyView importKey() {
        return new ImportKeyView(importKey.keyId(), "RSA-OAEP-256", importKey.publicKeyPem());
    }

    @POST
    @Path("/imports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import PKCS#12 files given as Base64 with their passwords; each file gets its own result")
    public ImportResponse importFiles(ImportRequest request) {
        if (request == null || request.files() == null || request.files().isEmpty()) {
            throw ProblemException.invalidField("files", null, "send at least one file: {\"files\": [{\"email\": ..., \"pkcs12\": ..., \"password\": ...}]}");
        }
        if (request.files().size() > MAX_FILES) {
            throw ProblemException.invalidField("files", Integer.toString(request.files().size()),
                    "send at most " + MAX_FILES + " files per request");
        }
        return new ImportResponse(importer.importAll(request.files()));
    }

    @GET
    @Operation(summary = "List the certificates stored for a user, newest first")
    public List<CertificateView> list(@QueryParam("user") String user) {
        if (user == null || user.isBlank()) {
            throw ProblemException.invalidField("user", null, "give the user's e-mail address or principal name");
        }
        return importer.certificatesOf(user).stream().map(CertificateResource::view).toList();
    }

    private static CertificateView view(ImportedCertificate certificate) {
        return new CertificateView(certificate.thumbprintSha256, certificate.thumbprintSha1, certificate.serialNumberHex,
                certificate.subjectDn, certificate.issuerDn, certificate.purpose, certificate.notBefore,
                certificate.notAfter, certificate.emailAddresses, certificate.importedAt);
    }
}
