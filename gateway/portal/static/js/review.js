/* The authority's pages: 待办 (templates/review_queue.html) and 审查 (templates/review_detail.html).
 * Their parts live in ./work/queue.js and ./work/review.js. */

import { ReviewQueue } from "./work/queue.js";
import { ReviewScreen } from "./work/review.js";

const queue = document.querySelector("[data-review-queue]");
if (queue) new ReviewQueue(queue).start();
const detail = document.querySelector("[data-review-detail]");
if (detail) new ReviewScreen(detail).start();
