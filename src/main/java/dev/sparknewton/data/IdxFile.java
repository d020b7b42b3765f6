package dev.sparknewton.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * One IDX file of unsigned bytes, the format of MNIST (LeCun, Cortes and Burges,
 * yann.lecun.com/exdb/mnist) and Fashion-MNIST, read once from its start: images
 * ({@code idx3-ubyte}: magic {@code 0x00000803}, then the big-endian int32s count, rows and
 * columns, then {@code count x rows x columns} bytes, each image row-major) or labels
 * ({@code idx1-ubyte}: magic {@code 0x00000801}, count, then {@code count} bytes).
 *
 * <p>Opened through Hadoop's {@link FileSystem} with the given configuration, so local, HDFS and
 * S3 paths work, and decompressed by the codec its name implies ({@code .gz}, {@code .bz2}), as
 * Hadoop's text input does. Every problem is a one-line {@link DataValidationException} that
 * starts with the path: a wrong magic number (found and expected), a header that makes no sense,
 * or a file shorter or longer than its header says (bytes expected and found, decompressed).
 */
final class IdxFile implements Closeable {
  static final int LABELS_MAGIC = 0x00000801;
  static final int IMAGES_MAGIC = 0x00000803;

  /** The first two bytes of a gzip stream (RFC 1952), to tell a compressed file without ".gz". */
  private static final int GZIP_ID = 0x1f8b;

  private final Path path;
  private final InputStream in;
  private final int headerBytes;
  private final int count;
  private final int rows;
  private final int cols;
  private long dataRead;

  private IdxFile(Path path, InputStream in, int headerBytes, int count, int rows, int cols) {
    this.path = path;
    this.in = in;
    this.headerBytes = headerBytes;
    this.count = count;
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * Opens {@code path} and reads and checks its header.
   *
   * @param magic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
   * @param ifMissing the message of the error when there is no file at {@code path}
   */
  static IdxFile open(Configuration conf, Path path, int magic, String ifMissing) {
    InputStream in = null;
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new DataValidationException(ifMissing);
      }
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      in = new BufferedInputStream(
          codec == null ? fs.open(path) : codec.createInputStream(fs.open(path)));
      IdxFile file = withHeader(path, in, magic);
      in = null;
      return file;
    } catch (IOException e) {
      throw cannotRead(path, e);
    } finally {
      closeQuietly(in);
    }
  }

  private static IdxFile withHeader(Path path, InputStream in, int magic) throws IOException {
    boolean images = magic == IMAGES_MAGIC;
    byte[] header = new byte[images ? 16 : 8];
    int got = readUpTo(in, header);
    if (got >= 4 && intAt(header, 0) != magic) {
      int found = intAt(header, 0);
      throw new DataValidationException(path + ": magic number " + hex(found)
          + kindOf(found).map(k -> " (" + k + ")").orElse("") + ", expected " + hex(magic)
          + " (" + kindOf(magic).orElseThrow() + ")"
          + ((found >>> 16) == GZIP_ID ? "; the file looks gzip-compressed: name it *.gz" : ""));
    }
    if (got < header.length) {
      throw new DataValidationException(path + ": expected an IDX header of " + header.length
          + " bytes, found " + got);
    }
    int count = intAt(header, 4);
    int rows = images ? intAt(header, 8) : 1;
    int cols = images ? intAt(header, 12) : 1;
    if (count < 0) {
      throw new DataValidationException(path + ": the header gives a negative count, " + count);
    }
    if (rows <= 0 || cols <= 0 || (long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new DataValidationException(
          path + ": the header gives images of " + rows + " x " + cols + " pixels");
    }
    return new IdxFile(path, in, header.length, count, rows, cols);
  }

  Path path() {
    return path;
  }

  /** The number of images or labels the header announces. */
  int count() {
    return count;
  }

  /** Rows of an image (1 for labels). */
  int rows() {
    return rows;
  }

  /** Columns of an image (1 for labels). */
  int cols() {
    return cols;
  }

  /** Bytes per image, {@code rows x cols} (1 for labels). */
  int itemBytes() {
    return rows * cols;
  }

  /**
   * Reads the next {@code into.length} bytes of data.
   *
   * @param into a whole number of items, no more than are left. Modified.
   * @throws DataValidationException when the file ends first
   */
  void read(byte[] into) {
    try {
      int got = readUpTo(in, into);
      dataRead += got;
      if (got < into.length) {
        throw wrongSize(headerBytes + dataRead);
      }
    } catch (IOException e) {
      throw cannotRead(path, e);
    }
  }

  /**
   * Throws unless the file ends here, after {@link #count()} items.
   *
   * @throws DataValidationException naming the file's length when it goes on
   */
  void requireEnd() {
    try {
      long extra = 0;
      byte[] scratch = new byte[8192];
      for (int got; (got = in.read(scratch)) >= 0; ) {
        extra += got;
      }
      if (extra > 0) {
        throw wrongSize(headerBytes + dataRead + extra);
      }
    } catch (IOException e) {
      throw cannotRead(path, e);
    }
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  /** "path: expected E bytes (H of header, the items), found F". */
  private DataValidationException wrongSize(long found) {
    long expected = headerBytes + (long) count * itemBytes();
    String items = headerBytes == 16
        ? count + " images of " + rows + " x " + cols
        : count + " labels";
    return new DataValidationException(path + ": expected " + expected + " bytes (" + headerBytes
        + " of header, " + items + "), found " + found + (found < expected ? " (truncated)" : ""));
  }

  private static Optional<String> kindOf(int magic) {
    return switch (magic) {
      case IMAGES_MAGIC -> Optional.of("idx3-ubyte images");
      case LABELS_MAGIC -> Optional.of("idx1-ubyte labels");
      default -> Optional.empty();
    };
  }

  private static String hex(int magic) {
    return String.format("0x%08x", magic);
  }

  private static int intAt(byte[] b, int offset) {
    return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8
        | (b[offset + 3] & 0xff);
  }

  /** Reads until {@code into} is full or the stream ends; returns the bytes read. */
  private static int readUpTo(InputStream in, byte[] into) throws IOException {
    int total = 0;
    while (total < into.length) {
      int got = in.read(into, total, into.length - total);
      if (got < 0) {
        break;
      }
      total += got;
    }
    return total;
  }

  private static DataValidationException cannotRead(Path path, IOException e) {
    return new DataValidationException("cannot read " + path + ": " + e.getMessage());
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Read-only: nothing is lost when closing fails.
      }
    }
  }
}
