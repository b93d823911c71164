package server

// TimelinePageSize is how many events a timeline page shows.
const TimelinePageSize = timelinePageSize
