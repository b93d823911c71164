# Timeline: a two-stage build. The builder compiles with cgo and the FTS5
# tag through .ci/build, the same command CI runs; the runtime is distroless
# with glibc, as a non-root user, with the database on a volume.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN .ci/build /out/timeline && mkdir -p /out/data

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/timeline /usr/local/bin/timeline
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV TIMELINE_ADDR=:8080 \
    TIMELINE_DB=/data/timeline.db
VOLUME /data
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/usr/local/bin/timeline", "serve"]
