// Test helper: DeleteRecords through the Kafka Admin API (node-rdkafka does not expose it). Usage: java -cp <kafka libs>/* DeleteRecords.java <bootstrap> <topic> <partition>:<beforeOffset>...
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.TopicPartition;
public class DeleteRecords {
  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", a[0]);
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, RecordsToDelete> m = new HashMap<>();
      for (int i = 2; i < a.length; i++) m.put(new TopicPartition(a[1], Integer.parseInt(a[i].split(":")[0])), RecordsToDelete.beforeOffset(Long.parseLong(a[i].split(":")[1])));
      admin.deleteRecords(m).all().get();
    }
  }
}
