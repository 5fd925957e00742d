package io.smimedelivery.certificate.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.imports.CertificateImporter;
import io.smimedelivery.certificate.imports.ImportFile;
import io.smimedelivery.certificate.imports.ImportKey;
import io.smimedelivery.certificate.imports.ImportResult;
import io.smimedelivery.certificate.limits.InputLimits;
import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.security.Roles;

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

    /** The public key that PKCS#12 passwords may be encrypted to. */
    public record ImportKeyView(String keyId, String algorithm, String publicKeyPem) {
    }

    private final CertificateImporter importer;
    private final ImportKey importKey;
    private final InputLimits limits;

    public CertificateResource(CertificateImporter importer, ImportKey importKey, InputLimits limits) {
        this.importer = importer;
        this.importKey = importKey;
        this.limits = limits;
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/import-key")
    @Operation(summary = "Read the public key that PKCS#12 passwords may be encrypted to (RSA-OAEP with SHA-256)")
    public ImportKeyView importKey() {
        return new ImportKeyView(importKey.keyId(), "RSA-OAEP-256", importKey.publicKeyPem());
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/imports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import PKCS#12 files given as Base64 with their passwords; each file gets its own result")
    public ImportResponse importFiles(ImportRequest request) {
        if (request == null || request.files() == null || request.files().isEmpty()) {
            throw ProblemException.invalidField("files", null, "send at least one file: {\"files\": [{\"email\": ..., \"pkcs12\": ..., \"password\": ...}]}");
        }
        if (request.files().size() > limits.importFiles()) {
            throw ProblemException.invalidField("files", Integer.toString(request.files().size()),
                    "send at most " + limits.importFiles() + " files per request (smime.limits.import-files);"
                            + " split the files over several requests");
        }
        for (int i = 0; i < request.files().size(); i++) {
            ImportFile file = request.files().get(i);
            if (file != null) {
                checkFileSize("files[" + i + "].pkcs12", decodedLength(file.pkcs12()));
            }
        }
        return new ImportResponse(importer.importAll(request.files()));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/imports")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import PKCS#12 files uploaded as form parts: repeat file, and give email (or userPrincipalName),"
            + " purpose and password (or encryptedPassword) once for all files or once per file in the same order")
    public ImportResponse importUploads(@RestForm("file") List<FileUpload> uploads,
            @RestForm("email") List<String> emails, @RestForm("userPrincipalName") List<String> principalNames,
            @RestForm("purpose") List<String> purposes, @RestForm("password") List<String> passwords,
            @RestForm("encryptedPassword") List<String> encryptedPasswords) {
        if (uploads == null || uploads.isEmpty()) {
            throw ProblemException.invalidField("file", null, "upload at least one PKCS#12 file in a part named file");
        }
        if (uploads.size() > limits.importFiles()) {
            throw ProblemException.invalidField("file", Integer.toString(uploads.size()),
                    "upload at most " + limits.importFiles() + " files per request (smime.limits.import-files);"
                            + " split the files over several requests");
        }
        for (int i = 0; i < uploads.size(); i++) {
            checkFileSize("file[" + i + "]", uploads.get(i).size());
        }
        List<ImportFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(uploads.get(i).uploadedFile());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Failed to read uploaded file " + (i + 1), e);
            }
            files.add(new ImportFile(nth(emails, i, "email", uploads.size()),
                    nth(principalNames, i, "userPrincipalName", uploads.size()), nth(purposes, i, "purpose", uploads.size()),
                    java.util.Base64.getEncoder().encodeToString(bytes), nth(passwords, i, "password", uploads.size()),
                    nth(encryptedPasswords, i, "encryptedPassword", uploads.size())));
        }
        return new ImportResponse(importer.importAll(files));
    }

    /** Rejects the whole request with a 413 problem before any file is imported, so none is stored. */
    private void checkFileSize(String field, long bytes) {
        long max = limits.pkcs12FileSize().asLongValue();
        if (bytes <= max) {
            return;
        }
        String message = "the PKCS#12 file has " + bytes + " bytes, more than the maximum of " + max
                + " bytes set by smime.limits.pkcs12-file-size; a user's PKCS#12 file has a few kilobytes, so check"
                + " that this is the right file";
        throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "file-too-large", "File too large",
                "Invalid value for " + field + ": " + message, List.of(new FieldError(field, bytes + " bytes", message)));
    }

    /**
     * Returns the number of bytes that Base64 text decodes to, ignoring line breaks and spaces as the
     * importer does. Text that is not valid Base64 gets an estimate; the importer rejects it later.
     */
    static long decodedLength(String base64) {
        if (base64 == null) {
            return 0;
        }
        long characters = 0;
        long padding = 0;
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (!Character.isWhitespace(c)) {
                characters++;
                padding = c == '=' ? padding + 1 : 0;
            }
        }
        return characters / 4 * 3 + (characters % 4) * 3 / 4 - padding;
    }

    /** Returns the value for file {@code index}: the only value for all files, or one value per file. */
    private static String nth(List<String> values, int index, String field, int files) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() == 1) {
            return values.get(0);
        }
        if (values.size() != files) {
            throw ProblemException.invalidField(field, values.size() + " values",
                    "give one " + field + " for all files or one per file (" + files + ")");
        }
        return values.get(index);
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
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
