/* Print buttons: shown only when JavaScript can open the print dialog; the print
   styles themselves (a card per entry, A5) are in style.css and work with Ctrl+P. */
(function () {
  'use strict';

  var buttons = document.querySelectorAll('.print-button');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () { window.print(); });
  }
})();
