import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws JobDeck's icon (a deck of job cards, an envelope on the top one) and writes it in the three
 * forms jpackage wants: PNG for Linux, ICO for Windows, ICNS for macOS. Every size is drawn from the
 * vectors, not scaled from one bitmap, so the small sizes stay sharp.
 *
 * <p>Run from the project root: {@code java installers/icons/DrawIcon.java installers/icons}
 */
public final class DrawIcon {

    private static final Color BACKGROUND_TOP = new Color(0x3B5BDB);
    private static final Color BACKGROUND_BOTTOM = new Color(0x2B2F77);
    private static final Color CARD = Color.WHITE;
    private static final Color ENVELOPE = new Color(0x3B5BDB);
    private static final Color DONE = new Color(0x2F9E44);

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "installers/icons");
        Files.createDirectories(dir);
        ImageIO.write(draw(512), "png", dir.resolve("jobdeck.png").toFile());
        Files.write(dir.resolve("jobdeck.ico"), ico(List.of(16, 24, 32, 48, 64, 128, 256)));
        Map<String, Integer> icns = new LinkedHashMap<>();
        icns.put("icp4", 16);
        icns.put("icp5", 32);
        icns.put("icp6", 64);
        icns.put("ic07", 128);
        icns.put("ic08", 256);
        icns.put("ic09", 512);
        icns.put("ic10", 1024);
        icns.put("ic11", 32);
        icns.put("ic12", 64);
        icns.put("ic13", 256);
        icns.put("ic14", 512);
        Files.write(dir.resolve("jobdeck.icns"), icns(icns));
        System.out.println("wrote jobdeck.png, jobdeck.ico, jobdeck.icns in " + dir);
    }

    /** The artwork on a 100 x 100 grid, scaled to {@code size} pixels. */
    static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 100.0, size / 100.0);

        // Rounded square with a little margin, as desktop icon sets expect.
        g.setPaint(new GradientPaint(0, 4, BACKGROUND_TOP, 0, 96, BACKGROUND_BOTTOM));
        g.fill(new RoundRectangle2D.Double(4, 4, 92, 92, 22, 22));

        // Two cards behind: the queue of jobs waiting.
        g.setColor(new Color(255, 255, 255, 90));
        g.fill(new RoundRectangle2D.Double(26, 18, 56, 40, 8, 8));
        g.setColor(new Color(255, 255, 255, 160));
        g.fill(new RoundRectangle2D.Double(22, 26, 60, 42, 8, 8));

        // Top card with an envelope.
        g.setColor(CARD);
        RoundRectangle2D top = new RoundRectangle2D.Double(16, 35, 64, 46, 8, 8);
        g.fill(top);
        g.setColor(ENVELOPE);
        g.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D flap = new Path2D.Double();
        flap.moveTo(24, 44);
        flap.lineTo(48, 62);
        flap.lineTo(72, 44);
        g.draw(flap);

        // Delivered: a green badge with a check mark, ringed in the background colour to stand apart.
        g.setColor(BACKGROUND_BOTTOM);
        g.fill(new java.awt.geom.Ellipse2D.Double(59, 59, 34, 34));
        g.setColor(DONE);
        g.fill(new java.awt.geom.Ellipse2D.Double(62, 62, 28, 28));
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D check = new Path2D.Double();
        check.moveTo(69, 76);
        check.lineTo(74.5, 81.5);
        check.lineTo(83, 70);
        g.draw(check);
        g.dispose();
        return image;
    }

    static byte[] png(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(draw(size), "png", out);
        return out.toByteArray();
    }

    /** ICO with PNG entries (Windows Vista and later read them at every size). */
    static byte[] ico(List<Integer> sizes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LittleEndian header = new LittleEndian(file);
        header.u16(0).u16(1).u16(sizes.size());
        int offset = 6 + 16 * sizes.size();
        for (int size : sizes) {
            byte[] png = png(size);
            file.write(size >= 256 ? 0 : size);
            file.write(size >= 256 ? 0 : size);
            file.write(0);
            file.write(0);
            header.u16(1).u16(32).u32(png.length).u32(offset);
            offset += png.length;
            body.write(png);
        }
        body.writeTo(file);
        return file.toByteArray();
    }

    /** ICNS: big-endian type + length records, each holding a PNG. */
    static byte[] icns(Map<String, Integer> entries) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream records = new DataOutputStream(body);
        for (Map.Entry<String, Integer> entry : entries.entrySet()) {
            byte[] png = png(entry.getValue());
            records.writeBytes(entry.getKey());
            records.writeInt(8 + png.length);
            records.write(png);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        out.writeBytes("icns");
        out.writeInt(8 + body.size());
        body.writeTo(out);
        return file.toByteArray();
    }

    private record LittleEndian(ByteArrayOutputStream out) {
        LittleEndian u16(int value) {
            out.write(value & 0xFF);
            out.write((value >>> 8) & 0xFF);
            return this;
        }

        LittleEndian u32(int value) {
            return u16(value & 0xFFFF).u16(value >>> 16);
        }
    }
}
