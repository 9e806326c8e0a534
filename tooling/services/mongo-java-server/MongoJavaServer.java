import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

/**
 * Starts an in-memory mongo-java-server on HOST:PORT (args; default 127.0.0.1 27018).
 * It reports MongoDB 6.0 (wire version 17): the default (3.6, wire 7) is refused by the
 * Node driver 6+/7 ("requires at least 8"). Runs until killed; data is not kept.
 */
public final class MongoJavaServer {
  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 27018;
    MongoVersion mongo6 = new MongoVersion() {
      public List<Integer> getVersionArray() { return List.of(6, 0, 0); }
      public int getWireVersion() { return 17; }
    };
    MongoServer server = new MongoServer(new MemoryBackend().version(mongo6));
    server.bind(host, port);
    System.out.println("mongo-java-server (MongoDB 6.0 wire 17) listening on " + host + ":" + port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    Thread.currentThread().join();
  }
}
