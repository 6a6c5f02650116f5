# The seed main as an image, for seed.yaml. From the repository's root, after
#   mvn -B -q -pl examples -am package -DskipTests
# run
#   docker build -f orchestrator-kubernetes/manifests/seed.Dockerfile -t longshore/seed:local .
FROM eclipse-temurin:17-jre
COPY examples/target/longshore-seed.jar /app/longshore-seed.jar
USER 65532
ENTRYPOINT ["java", "-jar", "/app/longshore-seed.jar"]
