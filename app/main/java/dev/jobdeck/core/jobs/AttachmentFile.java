package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.Attachment;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file the operator picked to attach: its path, and its name and size when picked. The content is read only
 * when the e-mail is queued, and checked again then: the file may have changed, grown or gone in between.
 */
public record AttachmentFile(Path path, String name, long size) {

    private static final System.Logger LOG = System.getLogger(AttachmentFile.class.getName());

    /** Looks at a picked file (on a background thread: this touches the disk). */
    public static AttachmentFile inspect(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "not a file");
        }
        return new AttachmentFile(path, path.getFileName().toString(), Files.size(path));
    }

    /** Why these sizes cannot be sent together, or empty when they can. */
    public static Optional<String> limitProblem(List<AttachmentFile> files) {
        if (files.size() > Attachment.MAX_FILES) {
            return Optional.of("At most " + Attachment.MAX_FILES + " attachments per e-mail (" + files.size() + " added).");
        }
        long total = 0;
        for (AttachmentFile file : files) {
            if (file.size() > Attachment.MAX_FILE_BYTES) {
                return Optional.of(tooLarge(file.name(), file.size()));
            }
            total += file.size();
        }
        if (total > Attachment.MAX_TOTAL_BYTES) {
            return Optional.of(tooLargeTogether(total));
        }
        return Optional.empty();
    }

    /**
     * Reads every file for queueing, refusing the lot if one is gone, unreadable or past a limit: the message
     * names the file and says what to do.
     */
    public static List<Attachment> readAll(List<AttachmentFile> files) throws IOException {
        Optional<String> limits = limitProblem(files);
        if (limits.isPresent()) {
            throw new IOException(limits.get());
        }
        List<Attachment> read = new ArrayList<>(files.size());
        long total = 0;
        for (AttachmentFile file : files) {
            byte[] content = file.read();
            total += content.length;
            if (total > Attachment.MAX_TOTAL_BYTES) {
                throw new IOException(tooLargeTogether(total));
            }
            read.add(new Attachment(file.name(), contentTypeOf(file.path()), content));
        }
        return read;
    }

    private byte[] read() throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("\"" + name + "\" is no longer at " + path + ". Add it again or remove it.");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IOException("\"" + name + "\" cannot be read (" + path + "). Check its permissions or remove it.");
        }
        // Read at most one byte past the limit: a file that grew since it was picked is refused, not loaded whole.
        byte[] content;
        try (InputStream in = Files.newInputStream(path)) {
            content = in.readNBytes((int) Attachment.MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IOException("\"" + name + "\" is no longer at " + path + ". Add it again or remove it.", e);
        } catch (IOException e) {
            throw new IOException("\"" + name + "\" cannot be read (" + path + "): " + e.getMessage()
                    + ". Check its permissions or remove it.", e);
        }
        if (content.length > Attachment.MAX_FILE_BYTES) {
            throw new IOException("\"" + name + "\" has grown past the " + Attachment.sizeText(Attachment.MAX_FILE_BYTES)
                    + " allowed per file since it was added.");
        }
        return content;
    }

    /** By the name first (the same answer on every machine), then what the OS knows, then plain bytes. */
    static String contentTypeOf(Path path) {
        String byName = URLConnection.guessContentTypeFromName(path.getFileName().toString());
        if (byName != null) {
            return byName;
        }
        try {
            String probed = Files.probeContentType(path);
            if (probed != null) {
                return probed;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "No content type for " + path + ": " + e.getMessage());
        }
        return Attachment.DEFAULT_CONTENT_TYPE;
    }

    private static String tooLarge(String name, long size) {
        return "\"" + name + "\" is " + Attachment.sizeText(size) + ", more than the "
                + Attachment.sizeText(Attachment.MAX_FILE_BYTES) + " allowed per file.";
    }

    private static String tooLargeTogether(long total) {
        return "The attachments add up to " + Attachment.sizeText(total) + ", more than the "
                + Attachment.sizeText(Attachment.MAX_TOTAL_BYTES) + " allowed per e-mail.";
    }
}
