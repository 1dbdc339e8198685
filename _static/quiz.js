// Static quizzes (course/quiz.py): announce the feedback of the chosen answer to screen readers.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".course-quiz input[type=radio]")) return;
  var fieldset = input.closest("fieldset");
  var feedback = input.parentElement.querySelector(".quiz-feedback");
  var status = fieldset && fieldset.querySelector(".quiz-status");
  if (status && feedback) status.textContent = feedback.textContent;
});
