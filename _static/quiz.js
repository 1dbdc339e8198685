// Static quizzes (after_mosul/quiz.py): announce the feedback of the chosen answer to screen readers.
// The feedback itself is shown by CSS (quiz.css); this only fills the question's live region,
// with the words of the feedback (its decorative ✓/✗ mark is aria-hidden and left out).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".course-quiz input[type=radio]")) return;
  var fieldset = input.closest("fieldset");
  var feedback = input.parentElement.querySelector(".quiz-feedback");
  var status = fieldset && fieldset.querySelector(".quiz-status");
  if (!status || !feedback) return;
  var spoken = feedback.cloneNode(true);
  var hidden = spoken.querySelectorAll("[aria-hidden=true]");
  for (var i = 0; i < hidden.length; i++) hidden[i].parentNode.removeChild(hidden[i]);
  status.textContent = spoken.textContent.trim();
});
