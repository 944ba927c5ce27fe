"""Confluent's Python client on our records, for tests/integration/python_interop_test.cpp.

  confluent_client.py produce --format json|protobuf --type market_data|trade
      --brokers B --registry URL --topic T --descriptors FILE   < records (our JSON, one per line)
  confluent_client.py consume ... --count N                     > records (our JSON, one per line)

produce sends each record with confluent-kafka's own serializer (JSONSerializer with the
schema our RegistrySerde registered for the topic, which it validates each record against;
ProtobufSerializer, which registers its own schema). consume reads N records with its own
deserializer (JSONDeserializer fetches the writer's schema by id and validates against it)
and prints each in our JSON, so the C++ side compares what it decodes with what it sent.
"""
import argparse
import calendar
import json
import re
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

MESSAGES = {"market_data": "market_intel.v1.MarketData", "trade": "market_intel.v1.Trade"}
# The client's default subject strategy asks an associations API first, which the
# registry under test lacks; the topic strategy is "{topic}-value", as ours.
SUBJECTS = {"subject.name.strategy.type": "TOPIC"}
RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z")


def message_class(descriptors, type_name):
    """A class of the default pool, built from the FileDescriptorSet protoc wrote."""
    pool = descriptor_pool.Default()
    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptors, "rb").read())
    for file in files.file:  # imports first: protoc writes them in that order
        try:
            pool.FindFileByName(file.name)
        except KeyError:
            pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(MESSAGES[type_name]))


def enum_prefix(enum):
    # SIDE_BUY is "BUY": protobuf's enum values carry the enum's name as a prefix.
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum.name).upper() + "_"


def to_message(record, cls):
    """Our JSON (a dict) as a message of `cls`."""
    message = cls()
    for name, value in record.items():
        field = cls.DESCRIPTOR.fields_by_name[name]
        if field.message_type is not None and field.message_type.full_name == "google.protobuf.Timestamp":
            match = RFC3339.fullmatch(value)
            if not match:
                raise ValueError(f"field '{name}': not an RFC 3339 UTC time: {value}")
            stamp = getattr(message, name)
            stamp.seconds = calendar.timegm(time.strptime(match[1], "%Y-%m-%dT%H:%M:%S"))
            stamp.nanos = int((match[2] or "").ljust(9, "0"))
        elif field.enum_type is not None:
            setattr(message, name, field.enum_type.values_by_name[enum_prefix(field.enum_type) + value].number)
        else:
            setattr(message, name, value)
    return message


def from_message(message):
    """A message as our JSON (a dict): absent optional fields and empty maps left out."""
    record = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.has_presence and not message.HasField(field.name):
            continue
        if field.message_type is not None and field.message_type.full_name == "google.protobuf.Timestamp":
            day = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(value.seconds))
            record[field.name] = f"{day}.{value.nanos:09d}Z"
        elif field.message_type is not None:  # the free map of JSON values: ours are empty
            if len(value):
                raise ValueError(f"field '{field.name}' is not empty; this tool does not convert it")
        elif field.enum_type is not None:
            record[field.name] = field.enum_type.values_by_number[value].name[len(enum_prefix(field.enum_type)):]
        else:
            record[field.name] = value
    return record


def produce(args, registry):
    context = SerializationContext(args.topic, MessageField.VALUE)
    if args.format == "json":
        # The schema our side registered for the topic, and no registration of its own.
        schema = registry.get_latest_version(f"{args.topic}-value").schema.schema_str
        serialize = JSONSerializer(schema, registry, conf=dict(SUBJECTS, **{
            "auto.register.schemas": False, "use.latest.version": True}))
        encode = lambda record: serialize(record, context)
    else:
        cls = message_class(args.descriptors, args.type)
        # Its own registration (a base64 FileDescriptorProto, unlike our .proto text), with
        # its imports under subjects of its own: the registry under test cannot hold both
        # forms in one subject.
        serialize = ProtobufSerializer(cls, registry, conf=dict(SUBJECTS, **{
            "auto.register.schemas": True,
            "reference.subject.name.strategy": lambda ctx, dependency: "python." + dependency.name}))
        encode = lambda record: serialize(to_message(record, cls), context)
    producer = Producer({"bootstrap.servers": args.brokers})
    failures = []
    sent = 0
    for line in sys.stdin:
        if line.strip():
            producer.produce(args.topic, encode(json.loads(line)),
                             on_delivery=lambda err, _: err and failures.append(str(err)))
            sent += 1
    if producer.flush(30) != 0 or failures:
        sys.exit(f"not delivered: {failures or 'flush timed out'}")
    print(f"sent {sent}", file=sys.stderr)


def consume(args, registry):
    if args.format == "json":
        deserialize = JSONDeserializer(None, schema_registry_client=registry, conf=SUBJECTS)
        decode = lambda value, context: deserialize(value, context)
    else:
        deserialize = ProtobufDeserializer(message_class(args.descriptors, args.type), conf=SUBJECTS)
        decode = lambda value, context: from_message(deserialize(value, context))
    consumer = Consumer({"bootstrap.servers": args.brokers, "group.id": f"python-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([args.topic])
    context = SerializationContext(args.topic, MessageField.VALUE)
    read = 0
    deadline = time.monotonic() + 30
    while read < args.count and time.monotonic() < deadline:
        record = consumer.poll(0.2)
        if record is None:
            continue
        if record.error():
            sys.exit(f"consume: {record.error()}")
        print(json.dumps(decode(record.value(), context)), flush=True)
        read += 1
    consumer.close()
    if read < args.count:
        sys.exit(f"consume: {read} of {args.count} records in 30 s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("direction", choices=["produce", "consume"])
    parser.add_argument("--format", choices=["json", "protobuf"], required=True)
    parser.add_argument("--type", choices=sorted(MESSAGES), required=True)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--descriptors", required=True)
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    registry = SchemaRegistryClient({"url": args.registry})
    (produce if args.direction == "produce" else consume)(args, registry)


if __name__ == "__main__":
    main()
