package dev.sparknewton.distributed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Java serialization to and from byte arrays: how {@link DatasetBlockFold} keeps row blocks in a
 * binary column and sends partial sums back, and how {@link DatasetRowAggregation} and the libsvm
 * scan of the text source send theirs, where the Dataset API offers no encoder for them.
 * Classes resolve through the thread's context class loader first (an executor's user jars, or
 * a Spark Connect session's artifacts), then through this class's own.
 */
public final class SerializedBytes {
  private SerializedBytes() {}

  public static byte[] of(Serializable value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + value.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  public static <T> T read(byte[] bytes) {
    try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (T) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot deserialize " + bytes.length + " bytes", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot deserialize: class " + e.getMessage()
          + " is not on this JVM's class path (is the project jar added as an artifact?)", e);
    }
  }

  private static final class ContextObjectInputStream extends ObjectInputStream {
    ContextObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      if (context != null) {
        try {
          return Class.forName(desc.getName(), false, context);
        } catch (ClassNotFoundException e) {
          // fall through to the loader of this class (primitive types, the JDK, our own jar)
        }
      }
      try {
        return Class.forName(desc.getName(), false, SerializedBytes.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
